/**
 * Target status (SPEC §7.4): the newest report a target's runner made of what runs there, and the
 * per-target aggregate. The routes validate and document with these; the SPA reads them typed.
 */
import { z } from 'zod';
import { HostStatus, TARGET_HEALTH, WorkloadStatus } from '../jobs/target-status';
import { RuntimeType } from './deploy';

const Id = z.string().min(1).max(64);
export const TargetHealth = z.enum(TARGET_HEALTH);

export const TargetStatus = z.object({
  target_id: z.string(),
  /** `unknown` with `observed_at: null`: nothing was read yet. */
  state: TargetHealth,
  observed_at: z.string().nullable(),
  /** The job whose report this is. */
  job_id: z.string().nullable(),
  /** Why the read failed, or was not usable (the state is `unknown` then). */
  error_code: z.string().nullable(),
  /** Compose: per host, its containers. */
  hosts: z.array(HostStatus).optional(),
  /** Kubernetes: the target's workloads. */
  workloads: z.array(WorkloadStatus).optional(),
});
export type TargetStatus = z.infer<typeof TargetStatus>;

export const RefreshStatusAccepted = z.object({
  job_id: z.string(),
  /** `running` or an earlier `queued`: a read already under way was answered, not doubled. */
  status: z.enum(['queued', 'running']),
});
export type RefreshStatusAccepted = z.infer<typeof RefreshStatusAccepted>;

export const ListStatusQuery = z.object({
  project_id: Id.optional(),
  /** Targets whose applied release is of this service. */
  service_id: Id.optional(),
  environment_id: Id.optional(),
  runtime_type: RuntimeType.optional(),
});
export type ListStatusQuery = z.infer<typeof ListStatusQuery>;

export const TargetStatusSummary = z.object({
  target_id: z.string(),
  name: z.string(),
  project_id: z.string(),
  environment_id: z.string(),
  runtime_type: RuntimeType,
  state: TargetHealth,
  observed_at: z.string().nullable(),
});
export type TargetStatusSummary = z.infer<typeof TargetStatusSummary>;

export const StatusAggregate = z.object({
  items: z.array(TargetStatusSummary),
  next_cursor: z.string().nullable(),
  /** Targets of this page per state. */
  counts: z.object({ healthy: z.number().int(), degraded: z.number().int(), unknown: z.number().int() }),
});
export type StatusAggregate = z.infer<typeof StatusAggregate>;
