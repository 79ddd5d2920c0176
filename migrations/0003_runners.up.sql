-- Runner pools, their one-time registration tokens, and the runners registered with them.
-- Tokens are stored as SHA-256 hashes only: a database reader cannot act as a runner.

create table runner_pools (
  id text primary key,
  name text not null,
  -- null: a pool every project may bind (granted by a global runner:admin only).
  project_id text references projects(id),
  created_by text,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create unique index runner_pools_name on runner_pools (coalesce(project_id, ''), name);

create table runner_registration_tokens (
  id text primary key,
  runner_pool_id text not null references runner_pools(id),
  token_hash text not null unique,
  expires_at timestamptz not null,
  used_at timestamptz,
  runner_id text,
  created_by text,
  created_at timestamptz not null
);

create table runners (
  id text primary key,
  runner_pool_id text not null references runner_pools(id),
  name text not null,
  labels jsonb not null,
  -- Raw X25519 key (base64url): what claims are sealed to. Public, but only the runner opens boxes.
  public_key text not null,
  token_hash text not null,
  version text,
  last_seen_at timestamptz,
  revoked_at timestamptz,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create index runners_pool on runners (runner_pool_id);

-- The queue: which message (SQS receipt) a running job was claimed through, and the outbox mark
-- saying its message was sent, so a crash between commit and send is repaired by the sweep.
alter table jobs add column queue_receipt text;
alter table jobs add column dispatched_at timestamptz;
create index jobs_undispatched on jobs (created_at) where dispatched_at is null and runner_pool_id is not null;

alter table environments add constraint environments_runner_pool_fk foreign key (runner_pool_id) references runner_pools(id);
alter table hosts add constraint hosts_runner_pool_fk foreign key (runner_pool_id) references runner_pools(id);
alter table clusters add constraint clusters_runner_pool_fk foreign key (runner_pool_id) references runner_pools(id);
