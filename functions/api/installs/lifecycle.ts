import type { AuditAction } from '../../../shared/events';
import type { InstallPayload } from '../../../shared/install/work';
import type { Clock } from '../../platform/clock';
import type { Db } from '../../platform/db/types';
import { type AuditInput, recordEvent } from '../audit/writer';
import { findEnvironment } from '../environments/repo';
import { ApiError } from '../errors';
import { createJob } from '../jobs/service';
import { activeTasksOnHosts, type InstallTaskRow, moveTask, type TaskStatus } from './repo';

type Actor = AuditInput['actor'];

/** Where a task may go from each status; anything else is refused with 409. */
const NEXT: Record<TaskStatus, TaskStatus[]> = {
  // Until a runner claims it a task may be cancelled (SPEC §7.0); a running one is not.
  pending_approval: ['queued', 'rejected', 'expired', 'cancelled'],
  queued: ['running', 'failed', 'cancelled'],
  running: ['succeeded', 'failed'],
  // A retry queues the same task again; a rollback that undid it marks it.
  failed: ['queued', 'rolled_back'],
  succeeded: ['rolled_back'],
  rejected: [],
  expired: [],
  rolled_back: [],
  cancelled: [],
};

export const FINAL: TaskStatus[] = ['succeeded', 'failed', 'rejected', 'expired', 'rolled_back', 'cancelled'];

/** Moves a task (only along NEXT, only from the status it was read in) with its audit event. */
export async function transition(
  tx: Db,
  clock: Clock,
  t: InstallTaskRow,
  to: TaskStatus,
  actor: Actor,
  set: Partial<InstallTaskRow> = {},
  detail: Record<string, unknown> = {},
): Promise<InstallTaskRow> {
  if (!NEXT[t.status].includes(to))
    throw new ApiError('ILLEGAL_TRANSITION', `an install task cannot go from ${t.status} to ${to}`);
  const now = clock.now();
  const next = { ...set, status: to, updatedAt: now, finishedAt: FINAL.includes(to) ? now : null };
  if (!(await moveTask(tx, t.id, [t.status], next)))
    throw new ApiError('ILLEGAL_TRANSITION', 'the install task changed meanwhile');
  await taskEvent(tx, clock, t, `install_task.${to}` as AuditAction, actor, { status: to, ...detail });
  return { ...t, ...next };
}

export function taskEvent(
  tx: Db,
  clock: Clock,
  t: InstallTaskRow,
  action: AuditAction,
  actor: Actor,
  detail: Record<string, unknown> = {},
) {
  return recordEvent(tx, clock, {
    action,
    resourceType: 'install_task',
    resourceId: t.id,
    projectId: t.projectId,
    environmentId: t.environmentId,
    actor,
    status: typeof detail.status === 'string' ? detail.status : undefined,
    detail: { action: t.action, runtime: t.runtime, version: t.version, host_ids: t.hostIds, ...detail },
  });
}

/** One task per host at a time: a host of a queued or running task of the environment is busy. */
export async function assertHostsFree(tx: Db, t: Pick<InstallTaskRow, 'id' | 'environmentId' | 'hostIds'>) {
  const busy = await activeTasksOnHosts(tx, t.environmentId, t.hostIds, t.id);
  if (busy.length) {
    const hosts = t.hostIds.filter((h) => busy.some((b) => b.hostIds.includes(h)));
    throw new ApiError(
      'CONFLICT',
      `install task ${busy[0]!.id} is ${busy[0]!.status} on ${hosts.join(', ')}; retry once it ends`,
      hosts.map((h) => ({ path: `host_ids[${t.hostIds.indexOf(h)}]`, message: 'busy with another task' })),
    );
  }
}

export const payloadOf = (t: InstallTaskRow): InstallPayload => ({
  task_id: t.id,
  environment_id: t.environmentId,
  action: t.action,
  runtime: t.runtime,
  version: t.version,
  host_ids: t.hostIds,
  options: t.options as InstallPayload['options'],
});

/**
 * queued + a new job on the environment's pool, in the caller's transaction. Without a pool the
 * job waits, as a release's does, until the environment is bound to one.
 */
export async function queueTask(tx: Db, clock: Clock, t: InstallTaskRow, actor: Actor, detail = {}) {
  await assertHostsFree(tx, t);
  const job = await newJob(tx, clock, t);
  return transition(tx, clock, t, 'queued', actor, { jobId: job.id }, { job_id: job.id, ...detail });
}

export async function newJob(tx: Db, clock: Clock, t: InstallTaskRow) {
  const env = await findEnvironment(tx, t.environmentId);
  return createJob(tx, clock, {
    kind: 'environment_install',
    projectId: t.projectId,
    environmentId: t.environmentId,
    runnerPoolId: env?.runnerPoolId ?? null,
    resourceType: 'install_task',
    resourceId: t.id,
    payload: payloadOf(t),
  });
}
