import { z } from 'zod';
import { InstallWork } from '../install/work';
import type { ClaimJobResponse } from '../runner/protocol';
import { HostAccess } from './access';
import { ReleaseApplyPayload } from './kinds';

/**
 * What a runner receives when it claims a job. The `job` part is plain and holds no secret; the
 * work order (addresses, credentials, the unmasked revision) travels only inside `sealed`, a box
 * sealed to the runner's registered key and bound to this job and lease token.
 */
export { FINGERPRINT, HostAccess, SshAuth } from './access';

export const ClusterAuth = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('token'), token: z.string() }),
  z.object({ kind: z.literal('client_cert'), cert: z.string(), key: z.string() }),
]);
export const ClusterAccess = z.object({
  id: z.string(),
  /** https URL of the API server. */
  server: z.string(),
  /** PEM bundle the server's certificate must chain to; null: the system roots. */
  ca: z.string().nullable(),
  tls_server_name: z.string().optional(),
  auth: ClusterAuth,
});
export type ClusterAccess = z.infer<typeof ClusterAccess>;

export const ReleaseWork = z.object({
  kind: z.literal('release_apply'),
  release: ReleaseApplyPayload,
  target: z.object({
    id: z.string(),
    runtime_type: z.enum(['k8s', 'compose']),
    namespace: z.string().nullable(),
    compose_project: z.string().nullable(),
  }),
  /** The exact text to apply (k8s: normalised, namespace forced; compose: the rendered file). */
  rendered: z.string(),
  /** What the target runs now (for k8s pruning), or null on a first release. */
  previous_rendered: z.string().nullable(),
  /** Values of the release's secret variables: the runner removes them from every output it sends. */
  secret_values: z.array(z.string()),
  hosts: z.array(HostAccess),
  cluster: ClusterAccess.nullable(),
});
export type ReleaseWork = z.infer<typeof ReleaseWork>;

export const HostTestWork = z.object({ kind: z.literal('host_test'), host: HostAccess });
export const ClusterTestWork = z.object({ kind: z.literal('cluster_test'), cluster: ClusterAccess });

export const WorkOrder = z.discriminatedUnion('kind', [
  ReleaseWork,
  HostTestWork,
  ClusterTestWork,
  InstallWork,
]);
export type WorkOrder = z.infer<typeof WorkOrder>;

/** The claim response (`ClaimJobResponse` in the runner protocol), under its former name. */
export type ClaimedJob = ClaimJobResponse;

/** What a host or cluster test reports in its completion's `result`. */
export const ConnectionResult = z.object({
  reachable: z.boolean(),
  version: z.string().max(200).nullable(),
  latency_ms: z.number().int().min(0).nullable(),
});
export type ConnectionResult = z.infer<typeof ConnectionResult>;
