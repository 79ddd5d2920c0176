import { z } from 'zod';
import { RUNTIMES } from '../install/manifest';
import { INSTALL_ACTIONS, InstallOptions } from '../install/work';
import { JOB_STATUSES } from '../jobs/status';

/** SPEC §4 Install jobs: tasks that put a runtime bundle on an environment's hosts (or take it off). */
export const INSTALL_TASK_STATUSES = [
  'pending_approval',
  'queued',
  'running',
  'succeeded',
  'failed',
  'rejected',
  'expired',
  'rolled_back',
  'cancelled',
] as const;
export type InstallTaskStatus = (typeof INSTALL_TASK_STATUSES)[number];

/** Hosts of one task; the runner installs `parallelism` of them at a time. */
export const MAX_INSTALL_HOSTS = 50;

const HostIds = z
  .array(z.string().min(1).max(64))
  .min(1)
  .max(MAX_INSTALL_HOSTS)
  .refine((ids) => new Set(ids).size === ids.length, 'each host once');

const Version = z.string().regex(/^[0-9A-Za-z.+-]{1,64}$/, 'a bundle version');

export const InstallRequest = z
  .object({
    runtime: z.enum(RUNTIMES),
    version: Version,
    host_ids: HostIds,
    options: InstallOptions.default(InstallOptions.parse({})),
  })
  .strict();
export type InstallRequest = z.infer<typeof InstallRequest>;

/**
 * `{host_ids}` is enough: what to remove is the runtime and version of the newest succeeded install
 * covering those hosts. `runtime` and `version` name it explicitly (both or neither).
 */
export const UninstallRequest = z
  .object({ host_ids: HostIds, runtime: z.enum(RUNTIMES).optional(), version: Version.optional() })
  .strict()
  .refine((r) => (r.runtime === undefined) === (r.version === undefined), {
    path: ['version'],
    message: 'runtime and version go together',
  });
export type UninstallRequest = z.infer<typeof UninstallRequest>;

export const InstallStepView = z.object({
  name: z.string(),
  status: z.enum(['pending', 'running', 'succeeded', 'failed', 'skipped']),
  attempt: z.number().int(),
  started_at: z.string().nullable(),
  finished_at: z.string().nullable(),
  error_code: z.string().nullable(),
  log_excerpt: z.string().nullable(),
});
export type InstallStepView = z.infer<typeof InstallStepView>;

export const InstallTask = z.object({
  id: z.string(),
  task_id: z.string(),
  project_id: z.string(),
  environment_id: z.string(),
  action: z.enum(INSTALL_ACTIONS),
  runtime: z.enum(RUNTIMES),
  version: z.string(),
  host_ids: z.array(z.string()),
  options: z.record(z.string(), z.unknown()),
  status: z.enum(INSTALL_TASK_STATUSES),
  approval_ticket: z.string().nullable(),
  job_id: z.string().nullable(),
  rollback_of: z.string().nullable(),
  /** A VIP task: the install it follows (and a succeeded k8s install with `lvs_vip` is followed by one). */
  follows: z.string().nullable(),
  /** Per-host outcomes (`hosts`) and the error code of a failure. */
  result: z.record(z.string(), z.unknown()).nullable(),
  /** What a successful install registered: `target_id`, and for k8s `cluster_id`, `credential_id`. */
  registered: z.record(z.string(), z.unknown()).nullable(),
  created_by: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
  finished_at: z.string().nullable(),
});
export type InstallTask = z.infer<typeof InstallTask>;

export const InstallTaskDetail = InstallTask.extend({
  steps: z.array(z.object({ host_id: z.string(), steps: z.array(InstallStepView) })),
  /** The step running now (or the last one that failed), as `install.<step>.<host_id>`. */
  current_step: z.string().nullable(),
  progress_percent: z.number().int().min(0).max(100),
});
export type InstallTaskDetail = z.infer<typeof InstallTaskDetail>;

export const InstallLogEntry = z.object({
  id: z.string(),
  job_id: z.string(),
  host_id: z.string().nullable(),
  step: z.string(),
  name: z.string(),
  attempt: z.number().int(),
  status: z.string(),
  started_at: z.string().nullable(),
  finished_at: z.string().nullable(),
  error_code: z.string().nullable(),
  output: z.string().nullable(),
  /** Listed with `after`: the seq of the step's newest recorded change (the next `after`); else null. */
  seq: z.number().int().nullable(),
});
export type InstallLogEntry = z.infer<typeof InstallLogEntry>;

/** One runtime/version of the bundle manifest, as the install wizard offers it. */
export const InstallBundle = z.object({
  runtime: z.enum(RUNTIMES),
  version: z.string(),
  /** A stand-in for tests, never for production hosts. */
  synthetic: z.boolean(),
  description: z.string(),
  platforms: z.array(z.object({ os: z.string(), arch: z.string(), distributions: z.array(z.string()) })),
  /** Ports that must be free on every host before the install. */
  ports: z.array(z.number().int()),
  min_disk_mb: z.number().int(),
  /** The bundle ships the VIP hook: `options.lvs_vip` may be asked for (k8s only). */
  lvs_vip: z.boolean(),
});
export type InstallBundle = z.infer<typeof InstallBundle>;

export const InstallBundles = z.object({
  /** Runtimes with at least one bundle, in a stable order. */
  runtimes: z.array(z.enum(RUNTIMES)),
  /** Per runtime, newest version first. */
  items: z.array(InstallBundle),
});
export type InstallBundles = z.infer<typeof InstallBundles>;

/** SPEC §7.4 Drift: a verify asked for; its report is read at `/install/verify/{job_id}`. */
export const InstallVerifyAccepted = z.object({
  job_id: z.string(),
  status: z.literal('queued'),
  /** The hosts whose stored fingerprint the runner will check. */
  host_ids: z.array(z.string()),
});
export type InstallVerifyAccepted = z.infer<typeof InstallVerifyAccepted>;

export const DRIFT_STATES = ['none', 'changed', 'missing'] as const;
export const FILE_STATES = ['ok', 'changed', 'missing'] as const;

export const DriftFile = z.object({
  /** Relative to the install prefix, as the fingerprint names it. */
  path: z.string(),
  expected_sha256: z.string(),
  /** null: the file is gone (or the host could not be read). */
  actual_sha256: z.string().nullable(),
  state: z.enum(FILE_STATES).nullable(),
});

export const DriftHost = z.object({
  host_id: z.string(),
  runtime: z.enum(RUNTIMES),
  version: z.string(),
  prefix: z.string(),
  /** `missing` when any file is gone, else `changed` when any differs; null until read or when the host could not be. */
  drift: z.enum(DRIFT_STATES).nullable(),
  /** Why the host could not be read (SSH_CONNECT, TIMEOUT, …). */
  error_code: z.string().nullable(),
  files: z.array(DriftFile),
});
export type DriftHost = z.infer<typeof DriftHost>;

export const InstallDriftReport = z.object({
  job_id: z.string(),
  environment_id: z.string(),
  /** The job's status: the report is final once it is `succeeded` or `failed`. */
  status: z.enum(JOB_STATUSES),
  requested_at: z.string(),
  finished_at: z.string().nullable(),
  hosts: z.array(DriftHost),
});
export type InstallDriftReport = z.infer<typeof InstallDriftReport>;
