-- Identity, projects, environments and the audit stream: what every later part stands on.

create table users (
  id text primary key,
  username text not null unique,
  password_hash text not null,
  disabled boolean not null default false,
  created_at timestamptz not null,
  updated_at timestamptz not null
);

create table projects (
  id text primary key,
  name text not null unique,
  created_at timestamptz not null
);

create table roles (
  id text primary key,
  name text not null unique,
  permissions text[] not null,
  builtin boolean not null default false,
  created_at timestamptz not null,
  updated_at timestamptz not null
);

-- project_id null = the binding holds in every project.
create table role_bindings (
  id text primary key,
  user_id text not null references users(id),
  role_id text not null references roles(id),
  project_id text references projects(id),
  created_at timestamptz not null
);
create unique index role_bindings_unique on role_bindings (user_id, role_id, coalesce(project_id, '*'));
create index role_bindings_role on role_bindings (role_id);

create table environments (
  id text primary key,
  project_id text not null references projects(id),
  name text not null,
  tier text not null check (tier in ('development', 'staging', 'production')),
  runner_pool_id text,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  unique (project_id, name)
);

-- Failed logins per bucket ('user:<name>' or 'addr:<ip>') in a fixed window; shared by every
-- API instance, so guessing cannot be spread over Lambda containers.
create table login_throttle (
  bucket text primary key,
  window_start timestamptz not null,
  failures integer not null
);

-- Append-only and hash-chained: seq is the one total order, prev_hash/hash link each event to the
-- one before it.
create table audit_events (
  id text primary key,
  seq bigint not null unique,
  action text not null,
  resource_type text not null,
  resource_id text not null,
  project_id text,
  team_id text,
  environment_id text,
  actor_id text,
  source text not null check (source in ('ui', 'api', 'ai', 'runner', 'system')),
  status text not null,
  occurred_at timestamptz not null,
  detail jsonb not null default '{}'::jsonb,
  prev_hash text not null,
  hash text not null
);
create index audit_events_resource on audit_events (resource_type, resource_id, seq);
create index audit_events_project on audit_events (project_id, seq);
create index audit_events_action on audit_events (action, seq);

create function audit_events_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'audit_events is append-only';
end;
$$;
create trigger audit_events_no_update before update or delete on audit_events
  for each row execute function audit_events_append_only();
create trigger audit_events_no_truncate before truncate on audit_events
  for each statement execute function audit_events_append_only();
