-- SPEC §7.4: a release's steps name the host each ran against (the runner sends it with the step;
-- until now only the host-key pin used it), and the jobs list reads one project's jobs newest first.
alter table job_steps add column host_id text;
create index jobs_project_id on jobs (project_id, id);
