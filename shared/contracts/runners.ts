import { z } from 'zod';
import { CompleteReport, StepReport } from '../jobs/kinds';

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

const Labels = z
  .record(z.string().regex(/^[a-z0-9][a-z0-9._/-]{0,62}$/), z.string().max(128))
  .refine((v) => Object.keys(v).length <= 32, 'at most 32 labels');

export const RegisterRunnerRequest = z
  .object({
    registration_token: z.string().min(16).max(256),
    name: Name,
    labels: Labels.default({}),
    /** Raw X25519 public key, base64url: claims are sealed to it. */
    public_key: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'a raw X25519 key: 32 bytes, base64url'),
    version: z.string().max(64).optional(),
  })
  .strict();
export type RegisterRunnerRequest = z.infer<typeof RegisterRunnerRequest>;

export const RegisterRunnerResponse = z.object({
  runner_id: z.string(),
  runner_token: z.string(),
  runner_pool_id: z.string(),
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

export const RotatedRunnerToken = z.object({ runner_id: z.string(), runner_token: z.string() });

export const ClaimRequest = z.object({ wait_seconds: z.number().int().min(0).max(25).default(25) }).strict();

const Lease = { lease_token: z.number().int().min(1) };
export const HeartbeatRequest = z.object(Lease).strict();
export const StepRequest = StepReport.extend(Lease).strict();
export const CompleteRequest = CompleteReport.extend(Lease).strict();
