-- SPEC §7.4: the newest status a runner reported for each target (one row per target, replaced by
-- a newer observation), and the sweep's look for targets with a status job still queued or running.
create table target_statuses (
  target_id text primary key references deploy_targets(id),
  project_id text not null references projects(id),
  state text not null check (state in ('healthy', 'degraded', 'unknown')),
  observed_at timestamptz not null,
  job_id text not null,
  error_code text,
  report jsonb not null
);
create index jobs_open_resource on jobs (resource_type, resource_id) where status in ('queued', 'running');
