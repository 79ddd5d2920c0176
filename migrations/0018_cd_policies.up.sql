-- SPEC §7.2: CD policies per service × environment, what they did per build, the build a release
-- came from, and the work the sweep owes them (kept out of the webhook's request).
create table cd_policies (
  service_id text not null references services (id),
  environment_id text not null references environments (id),
  project_id text not null references projects (id),
  target_ids text[] not null,
  strategy text not null check (strategy in ('rolling', 'recreate')),
  auto_preview_on_build boolean not null,
  auto_apply boolean not null,
  approval text not null check (approval in ('inherit', 'always')),
  auto_rollback_on_failure boolean not null,
  saved_by text not null references users (id),
  created_at timestamptz not null,
  updated_at timestamptz not null,
  primary key (service_id, environment_id)
);

alter table ci_builds add column deployments jsonb not null default '[]'::jsonb;
alter table releases add column build_id text;
create index releases_build on releases (build_id) where build_id is not null;

-- One row per thing a policy owes: a succeeded build to deploy, a failed release to roll back.
-- The unique pair makes a policy act once per build (and once per failed release).
create table cd_work (
  id text primary key,
  kind text not null check (kind in ('build', 'rollback')),
  subject_id text not null,
  created_at timestamptz not null,
  done_at timestamptz,
  constraint cd_work_once unique (kind, subject_id)
);
create index cd_work_open on cd_work (created_at) where done_at is null;
