-- SPEC §7.0 "Fix mistakes": a DELETE of a project, environment, target, service, host, cluster or
-- runner pool is soft, like a credential's. The row stays for history and the audit trail (releases,
-- install tasks and events keep naming it); readers skip rows whose deleted_at is set.
-- Names stay unique across deleted rows too: a deleted row's name is not reused.
alter table projects add column deleted_at timestamptz;
alter table environments add column deleted_at timestamptz;
alter table deploy_targets add column deleted_at timestamptz;
alter table services add column deleted_at timestamptz;
alter table hosts add column deleted_at timestamptz;
alter table clusters add column deleted_at timestamptz;
alter table runner_pools add column deleted_at timestamptz;
