-- SPEC §7.0 "Cancel": a release or install task nobody has claimed yet can be cancelled, so both
-- state columns accept `cancelled`.
alter table releases drop constraint releases_lifecycle_state_check;
alter table releases add constraint releases_lifecycle_state_check check (lifecycle_state in
  ('preview', 'pending_approval', 'approved', 'applying', 'applied', 'failed', 'rejected', 'expired', 'rollback',
   'cancelled'));

alter table install_tasks drop constraint install_tasks_status_check;
alter table install_tasks add constraint install_tasks_status_check check (status in
  ('pending_approval', 'queued', 'running', 'succeeded', 'failed', 'rejected', 'expired', 'rolled_back',
   'cancelled'));
