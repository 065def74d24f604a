-- The quality report of each target as the compile job's quality step made it (score, stars,
-- views, detectionRate, breakdown, advice, heatmapUrl, and a warning below 40); null for projects
-- compiled before the step existed or adopted from the old service.
ALTER TABLE ar_project_items
    ADD COLUMN quality jsonb;
