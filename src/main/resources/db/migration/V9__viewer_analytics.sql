-- Anonymous viewer analytics: one row per project, UTC day and device family (at most nine
-- families), whatever the number of viewings. counts, ready_ms and found_ms are fixed-length
-- arrays whose positions the analytics module defines (its Measure order and histogram buckets);
-- writers add to them element by element.
CREATE FUNCTION ar_add_counts(a bigint[], b bigint[]) RETURNS bigint[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$ SELECT array_agg(coalesce(x, 0) + coalesce(y, 0) ORDER BY i) FROM unnest(a, b) WITH ORDINALITY AS t(x, y, i) $$;

CREATE AGGREGATE ar_sum_counts(bigint[]) (SFUNC = ar_add_counts, STYPE = bigint[]);

CREATE TABLE ar_viewer_days (
    project_id  uuid     NOT NULL REFERENCES ar_projects (id) ON DELETE CASCADE,
    day         date     NOT NULL,
    device      text     NOT NULL,
    counts      bigint[] NOT NULL,
    ready_ms    bigint[] NOT NULL,
    found_ms    bigint[] NOT NULL,
    PRIMARY KEY (project_id, day, device)
);
CREATE INDEX ar_viewer_days_day_idx ON ar_viewer_days (day);

-- A project flagged for poor detection, once: the row's insert and its webhook event share a
-- transaction.
CREATE TABLE ar_viewer_alerts (
    project_id  uuid        PRIMARY KEY REFERENCES ar_projects (id) ON DELETE CASCADE,
    raised_at   timestamptz NOT NULL,
    views       bigint      NOT NULL,
    found       bigint      NOT NULL
);
