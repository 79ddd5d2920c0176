alter table hosts drop column compose;
alter table hosts drop constraint hosts_jump_not_self;
alter table hosts drop column jump_host_id;
-- EKS clusters keep their kubeconfig credential; without the mode they read as kubeconfig clusters
-- (which the older guard then refuses at use, as it refused them at import).
update clusters set mode = 'kubeconfig' where mode = 'eks';
alter table clusters drop constraint clusters_mode_check;
alter table clusters add constraint clusters_mode_check
  check (mode in ('kubeconfig', 'cert_set', 'token'));
