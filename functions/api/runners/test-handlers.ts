import { ConnectionResult } from '../../../shared/jobs/claim';
import type { CompleteReport } from '../../../shared/jobs/kinds';
import type { Clock } from '../../platform/clock';
import type { Db } from '../../platform/db/types';
import { recordEvent } from '../audit/writer';
import { findCluster, lockCluster, updateCluster } from '../clusters/repo';
import { lockHost, updateHost } from '../hosts/repo';
import type { JobRow } from '../jobs/repo';
import type { JobHandler, JobHandlers } from '../jobs/service';

/**
 * What a finished host or cluster test records: reachable, version and latency as the runner
 * measured them, when, by which job, and the error code of a failure. Nothing else of the
 * report is kept (a runner's free text is not trusted into the resource row).
 */
function lastTest(job: JobRow, report: CompleteReport, now: Date): Record<string, unknown> {
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

const actorOf = (job: JobRow) => ({ userId: job.runnerId, source: 'runner' as const });

const hostTest: JobHandler = {
  async lockFor(tx, job) {
    await lockHost(tx, String(job.payload.host_id));
  },
  async onCompleted(tx: Db, job, report, clock: Clock) {
    const now = clock.now();
    const test = lastTest(job, report, now);
    await updateHost(tx, String(job.payload.host_id), { lastTest: test, updatedAt: now });
    await recordEvent(tx, clock, {
      action: 'host.tested',
      resourceType: 'host',
      resourceId: String(job.payload.host_id),
      projectId: job.projectId,
      actor: actorOf(job),
      status: report.status,
      detail: test,
    });
  },
};

const clusterTest: JobHandler = {
  // A credential rotation updates the cluster row before its audit event: lock it in that order too.
  async lockFor(tx, job) {
    await lockCluster(tx, String(job.payload.cluster_id));
  },
  async onCompleted(tx: Db, job, report, clock: Clock) {
    const now = clock.now();
    const id = String(job.payload.cluster_id);
    if (!(await findCluster(tx, id))) return;
    const test = lastTest(job, report, now);
    await updateCluster(tx, id, { lastTest: test, updatedAt: now });
    await recordEvent(tx, clock, {
      action: 'cluster.tested',
      resourceType: 'cluster',
      resourceId: id,
      projectId: job.projectId,
      actor: actorOf(job),
      status: report.status,
      detail: test,
    });
  },
};

export const CONNECTION_TEST_HANDLERS: JobHandlers = { host_test: hostTest, cluster_test: clusterTest };
