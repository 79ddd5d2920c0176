-- Install tasks: installing, removing or rolling back a runtime bundle on an environment's hosts.
-- A task outlives its jobs (a retry is a new job of the same task), so it has a row of its own.

create table install_tasks (
  id text primary key,
  project_id text not null references projects(id),
  environment_id text not null references environments(id),
  action text not null check (action in ('install', 'uninstall', 'rollback')),
  runtime text not null check (runtime in ('compose', 'k8s')),
  version text not null,
  host_ids text[] not null,
  options jsonb not null,
  -- The manifest entry as checked when the task was asked for: what is approved is what runs.
  bundle jsonb not null,
  status text not null check (status in
    ('pending_approval', 'queued', 'running', 'succeeded', 'failed', 'rejected', 'expired', 'rolled_back')),
  approval_ticket_id text references approval_tickets(id),
  job_id text references jobs(id),
  rollback_of text references install_tasks(id),
  -- Per-host outcomes as the runner reported them; never a secret (the admin kubeconfig is sealed).
  result jsonb,
  -- What a successful install registered: the target, and for k8s the cluster and its credential.
  registered jsonb,
  created_by text,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  finished_at timestamptz
);
create index install_tasks_environment on install_tasks (environment_id, id desc);
create index install_tasks_active on install_tasks (environment_id) where status in ('queued', 'running');
