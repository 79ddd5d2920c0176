drop index jobs_open_resource;
drop table target_statuses;
