/**
 * First contact with a cluster: build the clients and GET /version. Shared by a release's
 * `k8s.connect` step and a cluster test, so both tell "cannot reach it" (network, TLS, a server that
 * is no API server: CLUSTER_UNREACHABLE) from "it refused us" (401/403: K8S_REJECTED) the same way.
 */

import type { ClusterAccess } from '../../shared/jobs/claim';
import { StepError } from '../jobs/steps';
import { dialableAddress } from '../net/dial-check';
import { describeK8sError, type K8sClients, k8sClients } from './client';
import { eksToken } from './eks-token';

export type Connected = { clients: K8sClients; version: string; latencyMs: number };

/** What in a ClusterAccess is secret, to be redacted from anything reported about it. */
export function credentialValues(cluster: ClusterAccess | null): string[] {
  if (!cluster) return [];
  const a = cluster.auth;
  return a.kind === 'token' ? [a.token] : a.kind === 'client_cert' ? [a.key] : [];
}

/**
 * EKS access as token access: the token is minted here from the runner's own AWS credentials. A
 * failure to find or use them is the cluster refusing us in effect, so it is K8S_REJECTED with the
 * SDK's reason (which names no secret).
 */
async function bearerAccess(cluster: ClusterAccess): Promise<ClusterAccess> {
  const a = cluster.auth;
  if (a.kind !== 'eks') return cluster;
  try {
    return { ...cluster, auth: { kind: 'token', token: await eksToken({ ...a, cluster_id: cluster.id }) } };
  } catch (e) {
    throw new StepError(
      'K8S_REJECTED',
      `no EKS token for cluster ${a.cluster_name}: ${a.role_arn ? `the role could not be assumed with the runner's AWS credentials` : `the runner's AWS credentials are unusable`}: ${(e as Error).message}`,
    );
  }
}

export async function connectCluster(
  cluster: ClusterAccess,
  opts: { signal?: AbortSignal; requestTimeoutMs?: number; redact: (s: string) => string },
): Promise<Connected> {
  let clients: K8sClients;
  const access = await bearerAccess(cluster);
  const minted = access.auth.kind === 'token' && cluster.auth.kind === 'eks' ? access.auth.token : null;
  const redact = (s: string) => opts.redact(minted ? s.split(minted).join('***') : s);
  try {
    // A name that resolves to a link-local or metadata address is refused here, where it resolves.
    await dialableAddress(new URL(cluster.server).hostname, 'CLUSTER_UNREACHABLE');
    clients = k8sClients(access, opts);
  } catch (e) {
    if (e instanceof StepError) throw e;
    throw new StepError('CLUSTER_UNREACHABLE', redact(`cluster access is unusable: ${(e as Error).message}`));
  }
  const started = performance.now();
  try {
    const info = await clients.version.getCode();
    const latencyMs = Math.max(0, Math.round(performance.now() - started));
    return { clients, version: String(info.gitVersion ?? '').slice(0, 200), latencyMs };
  } catch (e) {
    clients.close();
    if (opts.signal?.aborted)
      throw new StepError('TIMEOUT', 'stopped: the job was cancelled or lost its lease');
    const f = describeK8sError(e);
    const detail = { http_status: f.status, reason: f.reason };
    if (f.status === 401 || f.status === 403)
      throw new StepError(
        'K8S_REJECTED',
        redact(`the cluster refused the credentials: HTTP ${f.status} ${f.message}`),
        {
          detail,
        },
      );
    const why = f.status === null ? f.message : `HTTP ${f.status} from /version: ${f.message}`;
    throw new StepError('CLUSTER_UNREACHABLE', redact(`cannot reach ${cluster.server}: ${why}`), {
      detail,
    });
  }
}
