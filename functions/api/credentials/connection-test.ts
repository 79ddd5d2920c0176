import { ConnectionResult } from '../../../shared/jobs/claim';
import type { CompleteReport } from '../../../shared/jobs/kinds';
import type { Db } from '../../platform/db/types';
import { recordEvent } from '../audit/writer';
import type { ServiceCtx } from '../context';
import { ApiError } from '../errors';
import type { JobRow } from '../jobs/repo';
import { createJob } from '../jobs/service';

/**
 * `POST /hosts/:id/test-connection` and `POST /clusters/:id/test-connection` (SPEC §4): the test
 * runs on the resource's runner pool, so without one there is nothing to run it: 409
 * `NO_RUNNER_POOL`. With a pool it is a job whose payload names the resource only; the runner gets
 * the credential in its claim, sealed to its key, and reports reachable, version and latency.
 */
export type ConnectionTest = {
  kind: 'host_test' | 'cluster_test';
  action: 'host.test_requested' | 'cluster.test_requested';
  resourceType: 'host' | 'cluster';
  resourceId: string;
  projectId: string;
  runnerPoolId: string | null;
};

export async function queueConnectionTest(
  tx: Db,
  ctx: ServiceCtx,
  t: ConnectionTest,
): Promise<{ job_id: string; status: 'queued' }> {
  if (!t.runnerPoolId)
    throw new ApiError('NO_RUNNER_POOL', `the ${t.resourceType} has no runner pool to run the test on`);
  const job = await createJob(tx, ctx.clock, {
    kind: t.kind,
    projectId: t.projectId,
    environmentId: null,
    runnerPoolId: t.runnerPoolId,
    resourceType: t.resourceType,
    resourceId: t.resourceId,
    payload: { [`${t.resourceType}_id`]: t.resourceId },
  });
  await recordEvent(tx, ctx.clock, {
    action: t.action,
    resourceType: t.resourceType,
    resourceId: t.resourceId,
    projectId: t.projectId,
    actor: ctx.actor,
    detail: { job_id: job.id, runner_pool_id: t.runnerPoolId },
  });
  return { job_id: job.id, status: 'queued' };
}

/**
 * What a finished host or cluster test records: reachable, version and latency as the runner
 * measured them, when, by which job, and the error code of a failure. Nothing else of the
 * report is kept (a runner's free text is not trusted into the resource row).
 */
export function lastTest(job: JobRow, report: CompleteReport, now: Date): Record<string, unknown> {
  const parsed = ConnectionResult.safeParse(report.result ?? {});
  const r = parsed.success ? parsed.data : { reachable: false, version: null, latency_ms: null };
  return {
    ...r,
    reachable: report.status === 'succeeded' && r.reachable,
    error_code: report.status === 'failed' ? (report.error_code ?? 'APPLY_FAILED') : null,
    job_id: job.id,
    tested_at: now.toISOString(),
  };
}
