-- The webhook outbox: each event row is written in the transaction of the change that causes it,
-- then delivered (and retried) by the webhook verticle of any instance, under a short lease.
ALTER TABLE ar_webhook_events
    ADD COLUMN state         text NOT NULL DEFAULT 'pending'
        CHECK (state IN ('pending', 'delivered', 'failed', 'recorded')),
    ADD COLUMN body          text,
    ADD COLUMN last_error    text,
    ADD COLUMN delivered_at  timestamptz,
    ADD COLUMN lease_owner   text,
    ADD COLUMN lease_until   timestamptz;

DROP INDEX ar_webhook_events_due_idx;
CREATE INDEX ar_webhook_events_due_idx ON ar_webhook_events (next_retry_at) WHERE state = 'pending';
CREATE INDEX ar_webhook_events_delivered_idx ON ar_webhook_events (delivered_at) WHERE state = 'delivered';

ALTER TABLE ar_projects ADD COLUMN deleted_at timestamptz;

-- One row per cleanup tick: the instance that inserts it runs that tick, the others skip it.
CREATE TABLE ar_cleanup_runs (
    tick         timestamptz PRIMARY KEY,
    instance     text        NOT NULL,
    started_at   timestamptz NOT NULL,
    finished_at  timestamptz,
    summary      jsonb
);
