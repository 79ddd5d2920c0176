import { z } from 'zod';
import { PoolQueue } from './jobs';

const Name = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, '1-63 characters: lowercase letters, digits, "-"');

/** A pool's, environment's, host's or cluster's reference to a runner pool (null: none). */
export const RunnerPoolRef = z.string().min(1).max(64).nullable();

export const RunnerPool = z.object({
  id: z.string(),
  name: z.string(),
  /** null: any project may bind it. */
  project_id: z.string().nullable(),
  created_at: z.string(),
});
export type RunnerPool = z.infer<typeof RunnerPool>;

export const CreateRunnerPoolRequest = z
  .object({ name: Name, project_id: z.string().min(1).max(64).optional() })
  .strict();
export type CreateRunnerPoolRequest = z.infer<typeof CreateRunnerPoolRequest>;

/** A pool's project is fixed (its runners and bindings were made for it); its name may change. */
export const PatchRunnerPoolRequest = z.object({ name: Name }).strict();
export type PatchRunnerPoolRequest = z.infer<typeof PatchRunnerPoolRequest>;

export const CreateRegistrationTokenRequest = z
  .object({
    expires_in_seconds: z
      .number()
      .int()
      .min(60)
      .max(7 * 86_400)
      .default(3600),
  })
  .strict();

/** Shown once: only its hash is kept. */
export const RegistrationToken = z.object({
  id: z.string(),
  runner_pool_id: z.string(),
  token: z.string(),
  expires_at: z.string(),
});

export const Runner = z.object({
  id: z.string(),
  runner_pool_id: z.string(),
  name: z.string(),
  labels: z.record(z.string(), z.string()),
  version: z.string().nullable(),
  online: z.boolean(),
  last_seen_at: z.string().nullable(),
  revoked_at: z.string().nullable(),
  current_jobs: z.array(z.string()),
  created_at: z.string(),
});
export type Runner = z.infer<typeof Runner>;

/** One pool with its load (from its job rows) and the runners seen within the online window. */
export const RunnerPoolDetail = RunnerPool.extend({ queue: PoolQueue, online_runners: z.array(Runner) });
export type RunnerPoolDetail = z.infer<typeof RunnerPoolDetail>;

export const RotatedRunnerToken = z.object({ runner_id: z.string(), runner_token: z.string() });

/** The runner protocol lives in `shared/runner/protocol.ts`; these are its former names. */
export {
  ClaimJobRequest as ClaimRequest,
  CompleteJobRequest as CompleteRequest,
  HeartbeatJobRequest as HeartbeatRequest,
  RegisterRunnerRequest,
  RegisterRunnerResponse,
  ReportJobStepRequest as StepRequest,
} from '../runner/protocol';
