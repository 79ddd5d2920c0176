import type { Job, JobStep, WaitingReason } from '../../../shared/contracts/jobs';
import type { Db } from '../../platform/db/types';
import { ONLINE_WINDOW_MS } from '../runners/service';
import {
  type JobListRow,
  jobsOfResource,
  poolsWithOnlineRunner,
  queuePositions,
  type StepRow,
  stepsOfJobs,
} from './repo';

/** Output as stored: masked by the platform when the runner reported it (jobs/mask.ts). */
export const toStep = (s: StepRow): JobStep => ({
  id: s.id,
  name: s.name,
  attempt: s.attempt,
  status: s.status,
  host_id: s.hostId,
  started_at: s.startedAt?.toISOString() ?? null,
  finished_at: s.finishedAt?.toISOString() ?? null,
  error_code: s.errorCode,
  output: s.output,
});

const toJob = (j: JobListRow, waiting: WaitingReason | null): Job => ({
  id: j.id,
  kind: j.kind,
  status: j.status,
  project_id: j.projectId,
  environment_id: j.environmentId,
  runner_pool_id: j.runnerPoolId,
  runner_pool_name: j.runnerPoolName,
  resource_type: j.resourceType,
  resource_id: j.resourceId,
  attempts: j.attempts,
  runner_id: j.runnerId,
  error_code: j.errorCode,
  created_at: j.createdAt.toISOString(),
  updated_at: j.updatedAt.toISOString(),
  finished_at: j.finishedAt?.toISOString() ?? null,
  waiting_reason: waiting,
});

/**
 * Shows jobs with, for each queued one, why it waits: from the job and runner rows (also when
 * the queue is SQS, whose attributes are approximate). Two queries for a whole page.
 */
export async function toJobs(db: Db, rows: JobListRow[], now: Date): Promise<Job[]> {
  const queued = rows.filter((r) => r.status === 'queued' && r.runnerPoolId);
  const pools = [...new Set(queued.map((r) => r.runnerPoolId as string))];
  const online = await poolsWithOnlineRunner(db, pools, new Date(now.getTime() - ONLINE_WINDOW_MS));
  const positions = await queuePositions(
    db,
    queued.filter((r) => online.has(r.runnerPoolId as string)).map((r) => r.id),
  );
  return rows.map((r) => toJob(r, waitingReason(r, online, positions)));
}

function waitingReason(
  r: JobListRow,
  online: Set<string>,
  positions: Map<string, number>,
): WaitingReason | null {
  if (r.status !== 'queued') return null;
  if (!r.runnerPoolId) return { reason: 'no_runner_pool' };
  if (!online.has(r.runnerPoolId)) return { reason: 'no_online_runner', runner_pool_id: r.runnerPoolId };
  return { reason: 'queued', runner_pool_id: r.runnerPoolId, position: positions.get(r.id) ?? 1 };
}

/** Every step of every job of a resource (a release's, retried ones included), job by job. */
export async function stepsOfResource(db: Db, resourceType: string, resourceId: string) {
  const jobIds = (await jobsOfResource(db, resourceType, resourceId)).map((j) => j.id);
  return (await stepsOfJobs(db, jobIds)).map((s) => ({ ...toStep(s), job_id: s.jobId }));
}
