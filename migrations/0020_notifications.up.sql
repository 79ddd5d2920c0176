-- SPEC §7.2: outbound notifications. Endpoints a project's audit events are delivered to, the
-- deliveries made (one per endpoint and audit event), and the sweep's cursor over the audit chain.
create table notification_endpoints (
  id text primary key,
  project_id text not null references projects (id),
  url text not null,
  events text[] not null,
  secret_envelope jsonb not null,
  secret_rotated_at timestamptz not null,
  -- The audit seq the endpoint was created at: it receives only events after it.
  from_seq bigint not null,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  deleted_at timestamptz
);
create index notification_endpoints_project on notification_endpoints (project_id) where deleted_at is null;

create table notification_deliveries (
  id text primary key,
  endpoint_id text not null references notification_endpoints (id),
  project_id text not null,
  event_id text not null,
  type text not null,
  occurred_at timestamptz not null,
  data jsonb not null,
  status text not null check (status in ('pending', 'succeeded', 'failed')),
  attempts jsonb not null,
  -- Tries since the last redelivery (the attempts list keeps them all).
  tries integer not null,
  next_attempt_at timestamptz,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  constraint notification_deliveries_once unique (endpoint_id, event_id)
);
create index notification_deliveries_project on notification_deliveries (project_id, id);
-- The sender reads only deliveries still waiting for a try.
create index notification_deliveries_due on notification_deliveries (next_attempt_at) where status = 'pending';

-- One row: the highest audit seq the sweep has turned into deliveries.
create table notification_cursor (
  id smallint primary key check (id = 1),
  seq bigint not null
);
insert into notification_cursor (id, seq) values (1, coalesce((select max(seq) from audit_events), 0));
