import { z } from 'zod';
import { ClusterAccess } from './access';
import { authSecrets, defineJobKind } from './define';

/** Can the runner reach a cluster's API server with its credential? */
export const ClusterTestPayload = z.object({ cluster_id: z.string() });
export const ClusterTestWork = z.object({
  kind: z.literal('cluster_test'),
  cluster: ClusterAccess,
  /** The namespaces of the cluster's targets: the test reports whether each exists. */
  namespaces: z.array(z.string().max(63)).max(100).optional(),
});

export const clusterTestKind = defineJobKind({
  kind: 'cluster_test',
  version: 1,
  payload: ClusterTestPayload,
  work: ClusterTestWork,
  secretsOf: (w) => authSecrets(w.cluster),
});
