-- The four tables of the service this one replaces (see README "Data model"); ids are UUIDs,
-- times timestamptz, free-form data jsonb. No foreign keys point at the shop's database.

CREATE TABLE ar_projects (
    id                       uuid PRIMARY KEY,
    user_id                  text        NOT NULL,
    order_id                 text,
    photo_url                text        NOT NULL,
    video_url                text,
    mask_url                 text,
    shape_type               text,
    marker_mind_url          text,
    viewer_html_url          text,
    qr_code_url              text,
    view_url                 text,
    status                   text        NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'processing', 'ready', 'error', 'deleted')),
    queue_job_id             text,
    created_at               timestamptz NOT NULL DEFAULT now(),
    queued_at                timestamptz,
    compilation_started_at   timestamptz,
    compilation_finished_at  timestamptz,
    compilation_time_ms      integer,
    error_message            text,
    retry_count              integer     NOT NULL DEFAULT 0,
    photo_width              integer,
    photo_height             integer,
    video_width              integer,
    video_height             integer,
    video_duration_ms        integer,
    photo_aspect_ratio       double precision,
    video_aspect_ratio       double precision,
    config                   jsonb       NOT NULL DEFAULT '{}'::jsonb,
    fit_mode                 text,
    is_demo                  boolean     NOT NULL DEFAULT false,
    expires_at               timestamptz,
    notification_sent        boolean     NOT NULL DEFAULT false,
    notification_sent_at     timestamptz,
    updated_at               timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX ar_projects_status_idx ON ar_projects (status);
CREATE INDEX ar_projects_user_idx ON ar_projects (user_id);
CREATE INDEX ar_projects_demo_expiry_idx ON ar_projects (expires_at) WHERE is_demo;

-- One row per target of a project (albums hold up to 10).
CREATE TABLE ar_project_items (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    project_id  uuid        NOT NULL REFERENCES ar_projects (id) ON DELETE CASCADE,
    item_index  integer     NOT NULL CHECK (item_index >= 0 AND item_index < 10),
    photo_url   text        NOT NULL,
    video_url   text,
    mask_url    text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (project_id, item_index)
);

CREATE TABLE ar_compilation_logs (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    project_id   uuid        NOT NULL REFERENCES ar_projects (id) ON DELETE CASCADE,
    step         text        NOT NULL,
    status       text        NOT NULL CHECK (status IN ('started', 'completed', 'failed')),
    duration_ms  integer,
    details      jsonb,
    error        text,
    created_at   timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX ar_compilation_logs_project_idx ON ar_compilation_logs (project_id, created_at);

-- Webhook events outlive their project's deletion (ar.project.deleted), so no foreign key here.
CREATE TABLE ar_webhook_events (
    id               uuid PRIMARY KEY,
    event_type       text        NOT NULL,
    project_id       uuid,
    payload          jsonb       NOT NULL,
    response_status  integer,
    response_body    text,
    attempts         integer     NOT NULL DEFAULT 0,
    last_attempt_at  timestamptz,
    next_retry_at    timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX ar_webhook_events_project_idx ON ar_webhook_events (project_id);
CREATE INDEX ar_webhook_events_due_idx ON ar_webhook_events (next_retry_at);
