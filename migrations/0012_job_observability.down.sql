drop index jobs_project_id;
alter table job_steps drop column host_id;
