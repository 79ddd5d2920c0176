-- Credentials, hosts and clusters; targets, services, releases, approvals, policy; the jobs
-- tables the runner part consumes; audit checkpoints.

-- Envelope-encrypted payloads: the plaintext never reaches the database. project_id and the
-- credential id are in the AEAD's associated data, so a ciphertext moved to another row fails.
create table credentials (
  id text primary key,
  project_id text not null references projects(id),
  name text not null,
  kind text not null check (kind in ('ssh_private_key', 'ssh_password', 'kubeconfig', 'cert_set', 'token')),
  metadata jsonb not null,
  envelope jsonb not null,
  created_by text,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  deleted_at timestamptz
);
create unique index credentials_name on credentials (project_id, name) where deleted_at is null;

create table hosts (
  id text primary key,
  project_id text not null references projects(id),
  name text not null,
  address text not null,
  port integer not null check (port between 1 and 65535),
  username text not null,
  credential_id text not null references credentials(id),
  runner_pool_id text,
  -- SHA256:... as ssh-keygen -lf prints it; null until a runner's first contact pins it.
  host_key_fingerprint text,
  host_key_pinned_at timestamptz,
  last_test jsonb,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  unique (project_id, name)
);

create table clusters (
  id text primary key,
  project_id text not null references projects(id),
  name text not null,
  cluster_source text not null check (cluster_source in ('external_managed', 'platform_managed')),
  mode text not null check (mode in ('kubeconfig', 'cert_set', 'token')),
  server text not null,
  credential_id text not null references credentials(id),
  runner_pool_id text,
  metadata jsonb not null default '{}'::jsonb,
  last_test jsonb,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  unique (project_id, name)
);

create table deploy_targets (
  id text primary key,
  project_id text not null references projects(id),
  environment_id text not null references environments(id),
  name text not null,
  runtime_type text not null check (runtime_type in ('k8s', 'compose')),
  cluster_id text references clusters(id),
  namespace text,
  host_ids text[] not null default '{}',
  compose_project text,
  -- The release whose revision runs there now; previews diff against it.
  applied_release_id text,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  unique (project_id, name),
  check ((runtime_type = 'k8s' and cluster_id is not null and namespace is not null)
      or (runtime_type = 'compose' and cardinality(host_ids) > 0 and compose_project is not null))
);

create table services (
  id text primary key,
  project_id text not null references projects(id),
  name text not null,
  k8s_manifest text,
  compose_file text,
  secret_variables text[] not null default '{}',
  created_at timestamptz not null,
  updated_at timestamptz not null,
  unique (project_id, name)
);

create table project_policies (
  project_id text primary key references projects(id),
  policy jsonb not null,
  updated_at timestamptz not null
);

create table approval_tickets (
  id text primary key,
  project_id text not null references projects(id),
  environment_id text references environments(id),
  kind text not null check (kind in ('release_apply', 'release_rollback', 'install', 'credential_reveal')),
  resource_type text not null,
  resource_id text not null,
  status text not null check (status in ('pending', 'approved', 'rejected', 'expired', 'used')),
  risk_level text,
  requested_by text not null,
  decided_by text,
  decision_comment text,
  decided_at timestamptz,
  used_at timestamptz,
  expires_at timestamptz not null,
  created_at timestamptz not null
);
create index approval_tickets_inbox on approval_tickets (status, id desc);
create index approval_tickets_project on approval_tickets (project_id, status, id desc);
create index approval_tickets_resource on approval_tickets (resource_type, resource_id);

create table releases (
  id text primary key,
  project_id text not null references projects(id),
  environment_id text not null references environments(id),
  service_id text not null references services(id),
  target_id text not null references deploy_targets(id),
  runtime_type text not null check (runtime_type in ('k8s', 'compose')),
  strategy text not null check (strategy in ('rolling', 'recreate')),
  lifecycle_state text not null check (lifecycle_state in
    ('preview', 'pending_approval', 'approved', 'applying', 'applied', 'failed', 'rejected', 'expired', 'rollback')),
  approval_required boolean not null,
  approval_ticket_id text references approval_tickets(id),
  preview_ref text not null unique,
  preview_hash text not null,
  expires_at timestamptz not null,
  -- What was running on the target when the preview was made; apply refuses if it moved.
  base_release_id text,
  risk_level text not null check (risk_level in ('low', 'medium', 'high', 'critical')),
  checks jsonb not null,
  diff jsonb not null,
  variables_masked jsonb not null,
  rendered_masked text not null,
  revision_digest text not null,
  -- Envelope of {rendered, secret variable values}: the unmasked revision never sits in plaintext.
  secret_envelope jsonb,
  rollback_of text references releases(id),
  diagnostics_json jsonb,
  created_by text not null,
  applied_at timestamptz,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create index releases_target on releases (target_id, lifecycle_state);
create index releases_list on releases (project_id, runtime_type, id desc);
create index releases_runtime on releases (runtime_type, id desc);

-- Jobs: rows are the truth; queue messages carry ids only.
create table jobs (
  id text primary key,
  kind text not null,
  project_id text not null references projects(id),
  -- Jobs of an environment without a pool wait here; binding a pool hands them over.
  environment_id text references environments(id),
  runner_pool_id text,
  resource_type text not null,
  resource_id text not null,
  payload jsonb not null,
  status text not null check (status in ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
  attempts integer not null default 0,
  lease_token integer not null default 0,
  lease_expires_at timestamptz,
  runner_id text,
  result jsonb,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  finished_at timestamptz
);
create index jobs_claim on jobs (runner_pool_id, status, created_at);
create index jobs_resource on jobs (resource_type, resource_id);

create table job_steps (
  id text primary key,
  job_id text not null references jobs(id),
  name text not null,
  attempt integer not null,
  status text not null check (status in ('running', 'succeeded', 'failed', 'skipped')),
  started_at timestamptz,
  finished_at timestamptz,
  output text,
  error_code text,
  detail jsonb,
  unique (job_id, name, attempt)
);

-- Anchors of the audit chain: an HMAC over (last event, count, hash) under a data key from the
-- key provider, so database access alone can neither forge the chain nor cut its tail quietly.
create table audit_checkpoints (
  id text primary key,
  last_event_id text not null,
  last_seq bigint not null unique,
  event_count bigint not null,
  last_hash text not null,
  mac text not null,
  wrapped_key text not null,
  key_id text not null,
  created_at timestamptz not null
);
