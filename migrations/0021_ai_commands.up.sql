-- SPEC §7.3: commands given to the AI bridge, with what was understood, asked, previewed and
-- confirmed, and every request sent to a model provider (masked). Each row is its caller's own.
create table ai_commands (
  id text primary key,
  project_id text references projects (id),
  created_by text not null references users (id),
  -- The text as given, with the values of secret variables masked.
  text text not null,
  intent text not null check (intent in ('deploy', 'rollback', 'status', 'list', 'explain_failure', 'unknown')),
  status text not null check (status in ('needs_input', 'refused', 'answered', 'previewed', 'confirmed', 'failed')),
  interpreter text not null,
  parsed jsonb not null,
  answers jsonb not null default '{}'::jsonb,
  plan jsonb not null,
  questions jsonb,
  reason text,
  result jsonb,
  preview_ref text,
  release_id text,
  provider_requests jsonb not null default '[]'::jsonb,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create index ai_commands_creator on ai_commands (created_by, id);
