import type { Clock } from '../../platform/clock';
import type { Db } from '../../platform/db/types';
import type { CredentialRow } from '../credentials/repo';
import { ApiError } from '../errors';
import { guardClusterImport } from '../kube-access/import-guard';
import { clusterMetadata, importInputOf } from './access';
import { clustersUsingCredential, updateCluster } from './repo';

/**
 * A credential rotation must keep every cluster that uses it reachable the way it was imported:
 * the new material passes the import guard for that cluster and names the same server. Their
 * descriptions (client certificate dates, say) are refreshed in the rotation's transaction.
 * Returns the ids of the clusters refreshed.
 */
export async function recheckClusters(
  tx: Db,
  clock: Clock,
  credential: Pick<CredentialRow, 'id' | 'kind'>,
  payload: Record<string, unknown>,
): Promise<string[]> {
  if (credential.kind === 'ssh_private_key' || credential.kind === 'ssh_password') return [];
  const ids: string[] = [];
  for (const cluster of await clustersUsingCredential(tx, credential.id)) {
    const r = guardClusterImport(importInputOf(cluster, payload), { now: clock.now() });
    if (!r.ok) {
      // The guard names import fields; here they sit in the payload (the context is the cluster's).
      const fields = r.fields.map((f) =>
        f.path === 'context'
          ? { path: 'payload.kubeconfig', message: `has no context that cluster ${cluster.name} uses` }
          : { path: `payload.${f.path}`, message: f.message },
      );
      throw new ApiError(
        'VALIDATION_FAILED',
        `the new material does not give access to cluster ${cluster.name}`,
        fields,
      );
    }
    // An EKS cluster stays EKS and a file-based one stays file-based: the runner's way in must not change silently.
    if ((r.access.auth.kind === 'eks') !== (cluster.mode === 'eks'))
      throw new ApiError('VALIDATION_FAILED', 'request failed validation', [
        {
          path: 'payload.kubeconfig',
          message: `changes how cluster ${cluster.name} is reached (EKS or not): import it again instead`,
        },
      ]);
    if (r.access.server !== cluster.server)
      throw new ApiError('VALIDATION_FAILED', 'request failed validation', [
        { path: 'payload', message: `points cluster ${cluster.name} at another server` },
      ]);
    await updateCluster(tx, cluster.id, {
      metadata: clusterMetadata(cluster.mode, r),
      updatedAt: clock.now(),
    });
    ids.push(cluster.id);
  }
  return ids;
}
