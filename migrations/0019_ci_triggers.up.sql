-- SPEC §7.2: CI provider tokens as their own credential kind; manual and scheduled triggers of a
-- pipeline, each attempt recorded (never the token); the last schedule slot fired, so a slot fires once.
alter table credentials drop constraint credentials_kind_check;
alter table credentials add constraint credentials_kind_check check (kind in
  ('ssh_private_key', 'ssh_password', 'kubeconfig', 'cert_set', 'token', 'ci_provider'));

alter table ci_pipelines add column last_fired_slot timestamptz;

create table ci_trigger_attempts (
  id text primary key,
  project_id text not null,
  pipeline_id text not null references ci_pipelines (id),
  source text not null check (source in ('manual', 'schedule')),
  -- The cron slot a scheduled attempt fired for; null for a manual one.
  slot timestamptz,
  ref text,
  -- recorded: no provider API or token set, only the intent is kept.
  status text not null check (status in ('recorded', 'pending', 'succeeded', 'failed')),
  http_status integer,
  error text,
  requested_by text,
  created_at timestamptz not null,
  finished_at timestamptz
);
create index ci_trigger_attempts_pipeline on ci_trigger_attempts (pipeline_id, id);
