/**
 * Drift (SPEC §7.4): a verify job re-reads, on every host of the environment with a stored
 * fingerprint, the sha256 of each file the install put there; the report compares them.
 */
import type {
  DriftHost,
  InstallDriftReport,
  InstallVerifyAccepted,
} from '../../../shared/contracts/installs';
import { InstallVerifyPayload, type VerifyHost, VerifyHostResult } from '../../../shared/jobs/install-verify';
import type { Db } from '../../platform/db/types';
import { recordEvent } from '../audit/writer';
import type { ServiceCtx } from '../context';
import { lockEnvironment } from '../environments/repo';
import { ApiError, notFound } from '../errors';
import { findJob, type JobRow } from '../jobs/repo';
import { createJob } from '../jobs/service';
import { fingerprintsOf } from './repo';

export async function requestVerify(envId: string, ctx: ServiceCtx): Promise<InstallVerifyAccepted> {
  return ctx.db.transaction(async (tx) => {
    const env = await lockEnvironment(tx, envId);
    if (!env) throw notFound('environment');
    const stored = await fingerprintsOf(tx, env.id);
    if (!stored.length)
      throw new ApiError('CONFLICT', 'no host of this environment has an install to verify');
    const payload: InstallVerifyPayload = {
      environment_id: env.id,
      hosts: stored.map((f) => ({
        host_id: f.hostId,
        prefix: f.prefix,
        fingerprint: { runtime: f.runtime, version: f.version, files: f.files },
      })),
    };
    const host_ids = payload.hosts.map((h) => h.host_id);
    // Without a pool the job waits, as an install's does, until the environment is bound to one.
    const job = await createJob(tx, ctx.clock, {
      kind: 'install_verify',
      projectId: env.projectId,
      environmentId: env.id,
      runnerPoolId: env.runnerPoolId,
      resourceType: 'environment',
      resourceId: env.id,
      payload,
    });
    await recordEvent(tx, ctx.clock, {
      action: 'environment.install_verify_requested',
      resourceType: 'environment',
      resourceId: env.id,
      projectId: env.projectId,
      environmentId: env.id,
      actor: ctx.actor,
      detail: { job_id: job.id, host_ids },
    });
    return { job_id: job.id, status: 'queued', host_ids };
  });
}

/** The runner's readings by host; a reading that does not parse counts as no reading. */
function readings(job: JobRow): Map<string, VerifyHostResult> {
  const raw = (job.result as { hosts?: unknown } | null)?.hosts;
  const out = new Map<string, VerifyHostResult>();
  for (const h of Array.isArray(raw) ? raw : []) {
    const parsed = VerifyHostResult.safeParse(h);
    if (parsed.success) out.set(parsed.data.host_id, parsed.data);
  }
  return out;
}

/** One host's drift: `missing` outranks `changed`, since a gone file breaks more than an edited one. */
export function hostDrift(h: VerifyHost, read: VerifyHostResult | undefined, final: boolean): DriftHost {
  const seen = read?.status === 'succeeded' ? read : undefined;
  const files = Object.entries(h.fingerprint.files)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([path, expected]) => {
      const actual = seen ? (seen.actual[path] ?? null) : null;
      const state = !seen ? null : actual === null ? 'missing' : actual === expected ? 'ok' : 'changed';
      return { path, expected_sha256: expected, actual_sha256: actual, state } as const;
    });
  const drift = !seen
    ? null
    : files.some((f) => f.state === 'missing')
      ? 'missing'
      : files.some((f) => f.state === 'changed')
        ? 'changed'
        : 'none';
  return {
    host_id: h.host_id,
    runtime: h.fingerprint.runtime,
    version: h.fingerprint.version,
    prefix: h.prefix,
    drift,
    error_code: seen ? null : (read?.error_code ?? (final ? 'APPLY_FAILED' : null)),
    files,
  };
}

export function driftOf(job: JobRow): DriftHost[] {
  const payload = InstallVerifyPayload.parse(job.payload);
  const read = readings(job);
  const final = job.status !== 'queued' && job.status !== 'running';
  return payload.hosts.map((h) => hostDrift(h, read.get(h.host_id), final));
}

export async function driftReport(db: Db, envId: string, jobId: string): Promise<InstallDriftReport> {
  const job = await findJob(db, jobId);
  if (job?.kind !== 'install_verify' || job.environmentId !== envId) throw notFound('install verify');
  return {
    job_id: job.id,
    environment_id: envId,
    status: job.status,
    requested_at: job.createdAt.toISOString(),
    finished_at: job.finishedAt?.toISOString() ?? null,
    hosts: driftOf(job),
  };
}
