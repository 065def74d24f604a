-- The operator's console: keyset pages of projects (newest first) and the instances seen.
CREATE INDEX ar_projects_created_idx ON ar_projects (created_at DESC, id DESC);
CREATE INDEX ar_projects_finished_idx ON ar_projects (compilation_finished_at)
    WHERE compilation_finished_at IS NOT NULL;
CREATE INDEX ar_compilation_logs_project_id_idx ON ar_compilation_logs (project_id, id);

-- One row per worker process: its id (as in ar_jobs.worker_id) and its last heartbeat.
CREATE TABLE ar_instances (
    worker_id     text PRIMARY KEY,
    role          text        NOT NULL,
    started_at    timestamptz NOT NULL,
    last_seen_at  timestamptz NOT NULL
);
