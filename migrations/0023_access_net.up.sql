-- Cluster access without commands (EKS), hosts behind a jump host, and what the runner last saw of
-- a host's compose, for preview checks that can fail.
alter table clusters drop constraint clusters_mode_check;
alter table clusters add constraint clusters_mode_check
  check (mode in ('kubeconfig', 'cert_set', 'token', 'eks'));

-- One hop at most: the jump host is a host of the same project with no jump host of its own
-- (checked by the API, which locks both rows); a host is never its own jump host.
alter table hosts add column jump_host_id text references hosts(id);
alter table hosts add constraint hosts_jump_not_self check (jump_host_id is null or jump_host_id <> id);

-- {dialect, version, seen_at, job_id} from the runner's step results; null until a runner looked.
alter table hosts add column compose jsonb;
