alter table clusters drop constraint clusters_runner_pool_fk;
alter table hosts drop constraint hosts_runner_pool_fk;
alter table environments drop constraint environments_runner_pool_fk;
drop index jobs_undispatched;
alter table jobs drop column dispatched_at;
alter table jobs drop column queue_receipt;
drop table runners;
drop table runner_registration_tokens;
drop table runner_pools;
