import { z } from 'zod';
import { ClusterAccess, HostAccess } from './access';
import { authSecrets, defineJobKind } from './define';

/**
 * What a target runs right now, read by its runner (SPEC §7.4): per compose host its containers
 * (state, health, image), or the Kubernetes workloads labelled for the target with their
 * ready/desired replicas and rollout condition. The platform keeps the newest report.
 */
export const TargetStatusPayload = z.object({ target_id: z.string() });
export type TargetStatusPayload = z.infer<typeof TargetStatusPayload>;

export const TargetStatusWork = z.object({
  kind: z.literal('target_status'),
  target: z.object({
    id: z.string(),
    runtime_type: z.enum(['k8s', 'compose']),
    namespace: z.string().nullable(),
    compose_project: z.string().nullable(),
  }),
  hosts: z.array(HostAccess),
  cluster: ClusterAccess.nullable(),
});
export type TargetStatusWork = z.infer<typeof TargetStatusWork>;

export const targetStatusKind = defineJobKind({
  kind: 'target_status',
  version: 1,
  payload: TargetStatusPayload,
  work: TargetStatusWork,
  secretsOf: (w) => [...w.hosts.flatMap(authSecrets), ...(w.cluster ? authSecrets(w.cluster) : [])],
});

const text = (max: number) => z.string().max(max);
const code = z.string().regex(/^[A-Z][A-Z0-9_]{1,63}$/);

export const ContainerStatus = z.object({
  service: text(253),
  container: text(253),
  image: text(1024),
  state: text(64),
  /** null: the container has no healthcheck. */
  health: text(64).nullable(),
  exit_code: z.number().int().nullable(),
});
export type ContainerStatus = z.infer<typeof ContainerStatus>;

export const HostStatus = z.object({
  host_id: text(64),
  /** false: the host was not reached or its containers could not be listed (`error_code` says why). */
  reachable: z.boolean(),
  compose: z.enum(['v1', 'v2']).nullable(),
  error_code: code.nullable(),
  message: text(600).nullable(),
  containers: z.array(ContainerStatus).max(500),
});
export type HostStatus = z.infer<typeof HostStatus>;

export const ROLLOUT_CONDITIONS = ['complete', 'progressing', 'failed'] as const;
export const WorkloadStatus = z.object({
  kind: text(64),
  name: text(253),
  ready: z.number().int().min(0),
  desired: z.number().int().min(0),
  rollout: z.enum(ROLLOUT_CONDITIONS),
  message: text(600),
});
export type WorkloadStatus = z.infer<typeof WorkloadStatus>;

/** A completion's `result`: hosts for compose, workloads for k8s. */
export const TargetStatusResult = z.object({
  hosts: z.array(HostStatus).max(200).optional(),
  workloads: z.array(WorkloadStatus).max(500).optional(),
});
export type TargetStatusResult = z.infer<typeof TargetStatusResult>;

export const TARGET_HEALTH = ['healthy', 'degraded', 'unknown'] as const;
export type TargetHealth = (typeof TARGET_HEALTH)[number];

const containerUp = (c: ContainerStatus) =>
  c.state === 'running' && (c.health === null || c.health === 'healthy');

/**
 * - `unknown`: nothing could be read (no host reached, the cluster not reached);
 * - `healthy`: something runs and all of it is up: every container running (and healthy where it
 *   has a healthcheck) on every host, every workload rolled out with all replicas ready;
 * - `degraded`: anything else, including a host that was not reached while others were, and a
 *   target that runs nothing.
 */
export function targetHealth(result: TargetStatusResult | null): TargetHealth {
  if (!result) return 'unknown';
  if (result.hosts) {
    const reached = result.hosts.filter((h) => h.reachable);
    if (!reached.length) return 'unknown';
    const up =
      reached.length === result.hosts.length &&
      reached.every((h) => h.containers.length > 0 && h.containers.every(containerUp));
    return up ? 'healthy' : 'degraded';
  }
  const w = result.workloads ?? [];
  const up = w.length > 0 && w.every((x) => x.rollout === 'complete' && x.ready >= x.desired);
  return up ? 'healthy' : 'degraded';
}
