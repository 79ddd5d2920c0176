-- The old constraints know no `cancelled`: such rows become `expired`, the nearest final state
-- that ran nothing, before the constraints are restored.
update releases set lifecycle_state = 'expired' where lifecycle_state = 'cancelled';
alter table releases drop constraint releases_lifecycle_state_check;
alter table releases add constraint releases_lifecycle_state_check check (lifecycle_state in
  ('preview', 'pending_approval', 'approved', 'applying', 'applied', 'failed', 'rejected', 'expired', 'rollback'));

update install_tasks set status = 'expired' where status = 'cancelled';
alter table install_tasks drop constraint install_tasks_status_check;
alter table install_tasks add constraint install_tasks_status_check check (status in
  ('pending_approval', 'queued', 'running', 'succeeded', 'failed', 'rejected', 'expired', 'rolled_back'));
