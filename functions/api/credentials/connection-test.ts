import type { Db } from '../../platform/db/types';
import { recordEvent } from '../audit/writer';
import type { ServiceCtx } from '../context';
import { ApiError } from '../errors';
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
