import type { TargetHealth, TargetStatusResult } from '../../../shared/jobs/target-status';
import type { Clock } from '../../platform/clock';
import type { Db } from '../../platform/db/types';
import { recordEvent } from '../audit/writer';
import type { ServiceCtx } from '../context';
import { findEnvironment } from '../environments/repo';
import { ApiError, notFound } from '../errors';
import { createJob } from '../jobs/service';
import { ONLINE_WINDOW_MS } from '../runners/service';
import { lockLiveTarget } from '../targets/repo';
import { findOpenStatusJob, findStatus, staleTargets } from './repo';

export type TargetStatusView = {
  target_id: string;
  state: TargetHealth;
  observed_at: string | null;
  job_id: string | null;
  error_code: string | null;
  hosts?: TargetStatusResult['hosts'];
  workloads?: TargetStatusResult['workloads'];
};

/** The newest status; a target nobody has read yet is `unknown` with no `observed_at`. */
export async function getTargetStatus(db: Db, targetId: string): Promise<TargetStatusView> {
  const row = await findStatus(db, targetId);
  if (!row)
    return { target_id: targetId, state: 'unknown', observed_at: null, job_id: null, error_code: null };
  return {
    target_id: targetId,
    state: row.state,
    observed_at: row.observedAt.toISOString(),
    job_id: row.jobId,
    error_code: row.errorCode,
    ...(row.report.hosts ? { hosts: row.report.hosts } : {}),
    ...(row.report.workloads ? { workloads: row.report.workloads } : {}),
  };
}

const newStatusJob = (
  tx: Db,
  clock: Clock,
  t: { id: string; projectId: string; environmentId: string; runnerPoolId: string },
) =>
  createJob(tx, clock, {
    kind: 'target_status',
    projectId: t.projectId,
    environmentId: t.environmentId,
    runnerPoolId: t.runnerPoolId,
    resourceType: 'target',
    resourceId: t.id,
    payload: { target_id: t.id },
  });

/**
 * `POST /deploy/targets/:id/status/refresh`: a status job on the environment's pool (409
 * `NO_RUNNER_POOL` without one). A read already queued or running is answered instead of a second
 * one: it will report the same runtime. The target's row lock orders two refreshes.
 */
export async function refreshTargetStatus(
  id: string,
  ctx: ServiceCtx,
): Promise<{ job_id: string; status: 'queued' | 'running' }> {
  return ctx.db.transaction(async (tx) => {
    const target = await lockLiveTarget(tx, id);
    if (!target) throw notFound('target');
    const open = await findOpenStatusJob(tx, id);
    if (open) return { job_id: open.id, status: open.status as 'queued' | 'running' };
    const env = await findEnvironment(tx, target.environmentId);
    if (!env?.runnerPoolId)
      throw new ApiError('NO_RUNNER_POOL', "the target's environment has no runner pool to read it");
    const job = await newStatusJob(tx, ctx.clock, { ...target, runnerPoolId: env.runnerPoolId });
    await recordEvent(tx, ctx.clock, {
      action: 'target.status_requested',
      resourceType: 'target',
      resourceId: id,
      projectId: target.projectId,
      environmentId: target.environmentId,
      actor: ctx.actor,
      detail: { job_id: job.id, runner_pool_id: env.runnerPoolId },
    });
    return { job_id: job.id, status: 'queued' };
  });
}

/** How many targets one sweep queues at most: the rest wait for the next sweep. */
const SWEEP_BATCH = 100;

/**
 * The sweep's part: a status job for each target whose newest status is older than the TTL (or
 * missing) where a runner of its pool is online, unless one is queued or running already. A pool
 * without an online runner would only pile up jobs nobody reads.
 */
export async function refreshStaleStatuses(db: Db, clock: Clock, ttlSeconds: number): Promise<number> {
  const now = clock.now().getTime();
  const stale = await staleTargets(db, {
    staleBefore: new Date(now - ttlSeconds * 1000),
    onlineSince: new Date(now - ONLINE_WINDOW_MS),
    limit: SWEEP_BATCH,
  });
  let queued = 0;
  // One transaction per target: each takes the target's row lock and then the audit chain's, the
  // order every target change takes them in; one transaction over all would hold the chain's lock
  // while waiting for the next target's row, which a concurrent change holds and wants the chain.
  for (const t of stale) {
    const { runnerPoolId } = t;
    if (!runnerPoolId) continue;
    const made = await db.transaction(async (tx) => {
      // Re-checked under the lock: a refresh may have queued one since the listing.
      if (!(await lockLiveTarget(tx, t.id)) || (await findOpenStatusJob(tx, t.id))) return false;
      await newStatusJob(tx, clock, { ...t, runnerPoolId });
      return true;
    });
    if (made) queued++;
  }
  return queued;
}
