-- SPEC §7.4 "Retention": the sweep removes step output and a release's raw diagnostics once they
-- are older than K8SM_RETENTION_DAYS. The release remembers when its diagnostics were cut to the
-- summary, so it can say so, and the sweep never looks at it again.
alter table releases add column diagnostics_trimmed_at timestamptz;

-- Each sweep asks for the oldest rows that still hold something to remove; these partial indexes
-- hold only those rows, so the question stays cheap however much history was already trimmed.
create index job_steps_output_age on job_steps ((coalesce(finished_at, started_at))) where output is not null;
create index releases_diagnostics_age on releases (updated_at)
  where diagnostics_json is not null and diagnostics_trimmed_at is null;
