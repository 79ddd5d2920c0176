-- The optional VIP of a k8s install is a task of its own (seed 004 §5.4: a post-cluster async task):
-- action `vip`, queued when the install it follows has succeeded, and linked to it. Renewing a
-- platform-managed cluster's certificates is one too (`cert_renew`), linked to the install.
alter table install_tasks drop constraint install_tasks_action_check;
alter table install_tasks add constraint install_tasks_action_check check (action in
  ('install', 'uninstall', 'rollback', 'vip', 'cert_renew'));
alter table install_tasks add column follows text references install_tasks(id);
