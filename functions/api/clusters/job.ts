import { ClusterTestPayload, clusterTestKind } from '../../../shared/jobs/cluster-test';
import { recordEvent } from '../audit/writer';
import { lastTest } from '../credentials/connection-test';
import type { JobKindHandler } from '../jobs/kind';
import { findAnyCluster, lockCluster, targetNamespaces, updateCluster } from './repo';

/** A cluster's connection test: the runner gets its access; the result lands on the cluster row. */
export const clusterTestJob: JobKindHandler = {
  definition: clusterTestKind,
  // A credential rotation updates the cluster row before its audit event: lock it in that order too.
  async lockFor(tx, job) {
    await lockCluster(tx, String(job.payload.cluster_id));
  },
  async workOrder(job, { cluster, db }) {
    const id = ClusterTestPayload.parse(job.payload).cluster_id;
    return { kind: 'cluster_test', cluster: await cluster(id), namespaces: await targetNamespaces(db, id) };
  },
  async onCompleted(tx, job, report, clock) {
    const now = clock.now();
    const id = String(job.payload.cluster_id);
    if (!(await findAnyCluster(tx, id))) return;
    const test = lastTest(job, report, now);
    await updateCluster(tx, id, { lastTest: test, updatedAt: now });
    await recordEvent(tx, clock, {
      action: 'cluster.tested',
      resourceType: 'cluster',
      resourceId: id,
      projectId: job.projectId,
      actor: { userId: job.runnerId, source: 'runner' },
      status: report.status,
      detail: test,
    });
  },
};
