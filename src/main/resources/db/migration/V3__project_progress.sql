-- Progress that follows the pipeline's steps, and what each target of a project became.
ALTER TABLE ar_projects
    ADD COLUMN progress     integer NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
    ADD COLUMN current_step text;

ALTER TABLE ar_project_items
    ADD COLUMN photo_width        integer,
    ADD COLUMN photo_height       integer,
    ADD COLUMN video_width        integer,
    ADD COLUMN video_height       integer,
    ADD COLUMN video_duration_ms  integer,
    ADD COLUMN keyframes          integer,
    ADD COLUMN points             integer,
    ADD COLUMN artifacts          jsonb NOT NULL DEFAULT '{}'::jsonb;
