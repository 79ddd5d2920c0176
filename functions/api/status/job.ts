import {
  TargetStatusPayload,
  TargetStatusResult,
  targetHealth,
  targetStatusKind,
} from '../../../shared/jobs/target-status';
import type { JobKindHandler } from '../jobs/kind';
import { findTarget } from '../targets/repo';
import { saveStatus } from './repo';

/**
 * A target's status read: the runner gets the target's hosts or cluster; the completion becomes
 * the target's newest status. The report reaches `onCompleted` already masked with the job's
 * secrets (the hosts' and cluster's credentials), like every kind's. Only the fields of the
 * result schema are kept; a report that does not match it is stored as `unknown`.
 */
export const targetStatusJob: JobKindHandler = {
  definition: targetStatusKind,
  async workOrder(job, { db, host, cluster }) {
    const { target_id } = TargetStatusPayload.parse(job.payload);
    const target = await findTarget(db, target_id);
    if (!target) throw new Error(`target ${target_id} is gone`);
    return {
      kind: 'target_status',
      target: {
        id: target.id,
        runtime_type: target.runtimeType,
        namespace: target.namespace,
        compose_project: target.composeProject,
      },
      hosts: target.runtimeType === 'compose' ? await Promise.all(target.hostIds.map(host)) : [],
      cluster: target.runtimeType === 'k8s' && target.clusterId ? await cluster(target.clusterId) : null,
    };
  },
  async hostsOf(tx, job) {
    return (await findTarget(tx, String(job.payload.target_id)))?.hostIds ?? [];
  },
  async onCompleted(tx, job, report, clock) {
    const parsed = TargetStatusResult.safeParse(report.result ?? {});
    const result = report.status === 'succeeded' && parsed.success ? parsed.data : null;
    // A success whose result is not the schema's says nothing we can show: unknown, with a code.
    const errorCode =
      report.status === 'failed' ? (report.error_code ?? 'COMMAND_FAILED') : result ? null : 'COMMAND_FAILED';
    await saveStatus(tx, {
      targetId: String(job.payload.target_id),
      projectId: job.projectId,
      state: targetHealth(result),
      observedAt: clock.now(),
      jobId: job.id,
      errorCode,
      report: result ?? {},
    });
  },
};
