drop index jobs_queued_line;
drop index releases_diagnostics_age;
drop index job_steps_output_age;
alter table releases drop column diagnostics_trimmed_at;
