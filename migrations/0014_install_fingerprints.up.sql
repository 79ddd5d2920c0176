-- SPEC §7.4 "Drift": what each host's last successful install left there (bundle, version, the
-- sha256 of every installed file by its path under the prefix), one row per environment and host.
-- An install replaces the row, an uninstall or rollback removes it; a verify compares against it.
create table install_fingerprints (
  environment_id text not null references environments(id),
  host_id text not null references hosts(id),
  project_id text not null references projects(id),
  runtime text not null check (runtime in ('compose', 'k8s')),
  version text not null,
  prefix text not null,
  -- {"usr/local/bin/dockerd": "<sha256>", ...} as the runner reported it after the fingerprint step.
  files jsonb not null,
  task_id text not null references install_tasks(id),
  job_id text not null references jobs(id),
  recorded_at timestamptz not null,
  primary key (environment_id, host_id)
);
