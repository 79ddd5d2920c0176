-- The old constraint knows no `vip` or `cert_renew` task: those rows go (their jobs stay, as
-- history), then the link.
delete from install_tasks where action in ('vip', 'cert_renew');
alter table install_tasks drop column follows;
alter table install_tasks drop constraint install_tasks_action_check;
alter table install_tasks add constraint install_tasks_action_check check (action in
  ('install', 'uninstall', 'rollback'));
