-- A durable job queue with pg-boss's semantics: states, retries with backoff, expiry, plus a
-- heartbeat lease so the jobs of an instance that died are picked up again by another one.
CREATE TABLE ar_jobs (
    id              uuid PRIMARY KEY,
    queue           text        NOT NULL,
    state           text        NOT NULL
        CHECK (state IN ('created', 'retry', 'active', 'completed', 'failed', 'cancelled')),
    priority        integer     NOT NULL DEFAULT 0,
    data            jsonb       NOT NULL,
    singleton_key   text,
    retry_limit     integer     NOT NULL,
    retry_count     integer     NOT NULL DEFAULT 0,
    retry_delay_ms  bigint      NOT NULL,
    expire_in_ms    bigint      NOT NULL,
    start_after     timestamptz NOT NULL,
    started_at      timestamptz,
    lease_until     timestamptz,
    worker_id       text,
    completed_at    timestamptz,
    output          jsonb,
    created_at      timestamptz NOT NULL
);

-- At most one live job per singleton key: one project is never compiled twice at the same time.
CREATE UNIQUE INDEX ar_jobs_singleton_idx ON ar_jobs (queue, singleton_key)
    WHERE singleton_key IS NOT NULL AND state IN ('created', 'retry', 'active');
CREATE INDEX ar_jobs_fetch_idx ON ar_jobs (queue, priority DESC, created_at) WHERE state IN ('created', 'retry');
CREATE INDEX ar_jobs_active_idx ON ar_jobs (lease_until) WHERE state = 'active';
CREATE INDEX ar_jobs_finished_idx ON ar_jobs (completed_at) WHERE state IN ('completed', 'failed', 'cancelled');
