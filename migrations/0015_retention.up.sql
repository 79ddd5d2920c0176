-- SPEC §7.4 "Retention": the sweep removes step output and a release's raw diagnostics once they
-- are older than K8SM_RETENTION_DAYS. The release remembers when its diagnostics were cut to the
-- summary, so it can say so, and the sweep never looks at it again.
alter table releases add column diagnostics_trimmed_at timestamptz;

-- Each sweep asks for the oldest rows that still hold something to remove; these partial indexes
-- hold only those rows, so the question stays cheap however much history was already trimmed.
create index job_steps_output_age on job_steps ((coalesce(finished_at, started_at))) where output is not null;
create index releases_diagnostics_age on releases (updated_at)
  where diagnostics_json is not null and diagnostics_trimmed_at is null;

-- SPEC §7.4: GET /jobs gives each queued job its place in its pool's line by counting the queued
-- jobs ahead of it. Over jobs_claim that count read every queued row of the pool through the heap
-- (0.5 s for a page of 50 with 10k queued on Postgres); this index holds only queued jobs, in line
-- order, so each count is an index-only range scan.
create index jobs_queued_line on jobs (runner_pool_id, created_at, id) where status = 'queued';
