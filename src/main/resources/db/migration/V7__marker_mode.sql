-- How a project's marker.mind was compiled ('reference' or 'robust'); null until ready.
ALTER TABLE ar_projects ADD COLUMN marker_mode text;
