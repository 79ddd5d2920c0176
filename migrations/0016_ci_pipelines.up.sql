-- SPEC §7.2: CI pipelines per service, the builds their providers report by signed webhook,
-- delivery ids for idempotency, and refusals counted per pipeline and minute for the audit stream.
create table ci_pipelines (
  id text primary key,
  project_id text not null references projects (id),
  service_id text not null references services (id),
  provider text not null check (provider in ('github_actions', 'gitlab_ci', 'jenkins', 'generic')),
  repository text not null,
  branch_filter text,
  tag_filter text,
  trigger text not null check (trigger in ('push', 'tag', 'manual', 'schedule')),
  schedule text,
  image text not null,
  provider_api_url text,
  provider_job text,
  provider_credential_id text,
  secret_envelope jsonb not null,
  secret_rotated_at timestamptz not null,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  deleted_at timestamptz
);
create index ci_pipelines_service on ci_pipelines (service_id);

create table ci_builds (
  id text primary key,
  project_id text not null,
  service_id text not null,
  pipeline_id text not null references ci_pipelines (id),
  provider_run_id text,
  commit_sha text not null,
  ref text,
  run_number text,
  status text not null check (status in ('queued', 'running', 'succeeded', 'failed', 'unknown')),
  artifacts jsonb not null,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  constraint ci_builds_pipeline_commit unique (pipeline_id, commit_sha)
);
create index ci_builds_service on ci_builds (service_id, id);
-- The timeout sweep reads only builds without a final state.
create index ci_builds_open on ci_builds (created_at) where status in ('queued', 'running');

create table ci_deliveries (
  pipeline_id text not null,
  delivery_id text not null,
  build_id text,
  received_at timestamptz not null,
  primary key (pipeline_id, delivery_id)
);

create table ci_webhook_refusals (
  pipeline_id text not null,
  minute timestamptz not null,
  count integer not null,
  reasons text[] not null,
  audited_at timestamptz,
  primary key (pipeline_id, minute)
);
create index ci_webhook_refusals_open on ci_webhook_refusals (minute) where audited_at is null;

-- Built-in roles that already exist keep operator edits; they gain the new permissions (SPEC §4).
update roles set permissions = array_append(permissions, 'ci:read')
  where builtin and not ('ci:read' = any (permissions));
update roles set permissions = array_append(permissions, 'ci:write')
  where builtin and name in ('admin', 'deployer') and not ('ci:write' = any (permissions));
