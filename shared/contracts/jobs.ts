import { z } from 'zod';
import { JOB_KIND_NAMES, JOB_STEP_STATUSES } from '../jobs/kinds';
import { JOB_STATUSES } from '../jobs/status';

/**
 * Why a queued job has not run yet, computed from the job rows (never from queue attributes):
 * its environment has no runner pool, the pool has no runner online, or it waits its turn.
 */
export const WaitingReason = z.discriminatedUnion('reason', [
  z.object({ reason: z.literal('no_runner_pool') }),
  z.object({ reason: z.literal('no_online_runner'), runner_pool_id: z.string() }),
  z.object({
    reason: z.literal('queued'),
    runner_pool_id: z.string(),
    /** 1-based, oldest first, among the pool's queued jobs. */
    position: z.number().int().min(1),
  }),
]);
export type WaitingReason = z.infer<typeof WaitingReason>;

/** A step as stored: its output is the masked excerpt the platform kept, never the raw text. */
export const JobStep = z.object({
  id: z.string(),
  name: z.string(),
  attempt: z.number().int(),
  status: z.enum(JOB_STEP_STATUSES),
  host_id: z.string().nullable(),
  started_at: z.string().nullable(),
  finished_at: z.string().nullable(),
  error_code: z.string().nullable(),
  output: z.string().nullable(),
});
export type JobStep = z.infer<typeof JobStep>;

export const Job = z.object({
  id: z.string(),
  kind: z.string(),
  status: z.enum(JOB_STATUSES),
  project_id: z.string(),
  environment_id: z.string().nullable(),
  runner_pool_id: z.string().nullable(),
  runner_pool_name: z.string().nullable(),
  resource_type: z.string(),
  resource_id: z.string(),
  attempts: z.number().int(),
  runner_id: z.string().nullable(),
  error_code: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
  finished_at: z.string().nullable(),
  /** Only while queued. */
  waiting_reason: WaitingReason.nullable(),
});
export type Job = z.infer<typeof Job>;

export const JobDetail = Job.extend({ steps: z.array(JobStep) });
export type JobDetail = z.infer<typeof JobDetail>;

export const ListJobsQuery = z.object({
  project_id: z.string().max(64).optional(),
  runner_pool_id: z.string().max(64).optional(),
  status: z.enum(JOB_STATUSES).optional(),
  kind: z.enum(JOB_KIND_NAMES).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});

/** A pool's load, from its job rows. */
export const PoolQueue = z.object({
  queued: z.number().int(),
  running: z.number().int(),
  oldest_queued_at: z.string().nullable(),
});

export const ReleaseSteps = z.object({
  release_id: z.string(),
  items: z.array(JobStep.extend({ job_id: z.string() })),
});
