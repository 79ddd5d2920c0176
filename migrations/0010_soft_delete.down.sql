-- Dropping the columns undeletes: every soft-deleted row is live again afterwards.
alter table runner_pools drop column deleted_at;
alter table clusters drop column deleted_at;
alter table hosts drop column deleted_at;
alter table services drop column deleted_at;
alter table deploy_targets drop column deleted_at;
alter table environments drop column deleted_at;
alter table projects drop column deleted_at;
