import { z } from 'zod';
import type { ClaimJobResponse } from '../runner/protocol';
import { JOB_KIND_DEFINITIONS } from './kinds';

/**
 * What a runner receives when it claims a job. The `job` part is plain and holds no secret; the
 * work order (addresses, credentials, the unmasked revision) travels only inside `sealed`, a box
 * sealed to the runner's registered key and bound to this job and lease token.
 */
export { ClusterAccess, ClusterAuth, FINGERPRINT, HostAccess, SshAuth } from './access';
export { ClusterTestWork } from './cluster-test';
export { HostTestWork } from './host-test';
export { ReleaseWork } from './release-apply';
export { TargetStatusWork } from './target-status';

/** The work order of any kind the shared list defines. */
export type WorkOrder = z.infer<(typeof JOB_KIND_DEFINITIONS)[number]['work']>;
export const WorkOrder = z.discriminatedUnion(
  'kind',
  JOB_KIND_DEFINITIONS.map((d) => d.work) as unknown as [z.ZodObject, ...z.ZodObject[]],
) as unknown as z.ZodType<WorkOrder>;

/** The claim response (`ClaimJobResponse` in the runner protocol), under its former name. */
export type ClaimedJob = ClaimJobResponse;

/** What a host or cluster test reports in its completion's `result`. */
export const ConnectionResult = z.object({
  reachable: z.boolean(),
  version: z.string().max(200).nullable(),
  latency_ms: z.number().int().min(0).nullable(),
  /** Host tests: the compose the host runs (`dialect: null`: none answered the version probe). */
  compose: z
    .object({ dialect: z.enum(['v2', 'v1']).nullable(), version: z.string().max(200).nullable() })
    .optional(),
  /** Host tests through a jump host: each hop in order (`ok: null`: not reached). */
  hops: z
    .array(z.object({ host_id: z.string(), ok: z.boolean().nullable(), error_code: z.string().nullable() }))
    .optional(),
  /** Cluster tests: whether each target namespace exists (null: the cluster would not say). */
  namespaces: z.record(z.string(), z.boolean().nullable()).optional(),
});
export type ConnectionResult = z.infer<typeof ConnectionResult>;
