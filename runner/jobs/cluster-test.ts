import { clusterTestKind } from '../../shared/jobs/cluster-test';
import { runnerJob } from './kind';

export const clusterTestJob = runnerJob(clusterTestKind, async (work, ctx) =>
  (await import('../k8s/cluster-test')).testCluster(work.cluster, ctx, { namespaces: work.namespaces }),
);
