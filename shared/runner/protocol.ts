import { z } from 'zod';
import { SealedBox } from '../crypto/sealed-box';
import { CompleteReport, StepReport } from '../jobs/kinds';

/**
 * The runner protocol (SPEC §4 Runners): every request a runner sends and every answer it gets,
 * as one set of schemas. The platform's routes validate and document with them; the runner's
 * client parses each answer with them, so a change to one side that the other does not know of
 * fails loudly instead of reaching a job half-read.
 */
export { CompleteReport, SealedBox, StepReport };

const Name = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, '1-63 characters: lowercase letters, digits, "-"');

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

/** The runner token is shown once: only its hash is kept. */
export const RegisterRunnerResponse = z.object({
  runner_id: z.string(),
  runner_token: z.string(),
  runner_pool_id: z.string(),
});
export type RegisterRunnerResponse = z.infer<typeof RegisterRunnerResponse>;

export const ClaimJobRequest = z
  .object({ wait_seconds: z.number().int().min(0).max(25).default(25) })
  .strict();
export type ClaimJobRequest = z.infer<typeof ClaimJobRequest>;

/**
 * A job kind's name. The list of kinds belongs to the job definitions, not to the protocol: a
 * runner that meets a kind it does not know still settles the job (it fails it) instead of
 * refusing the claim and leaving the job to be re-taken until its receives run out.
 */
export const JOB_KIND_NAME = /^[a-z][a-z0-9_]{0,63}$/;

const LeaseToken = z.number().int().min(1);
const Instant = z.iso.datetime({ offset: true });

/**
 * A claimed job. The `job` part is plain and holds no secret; the work order (addresses,
 * credentials, the unmasked revision) travels only inside `sealed`, a box sealed to the runner's
 * registered key and bound to this job and lease token.
 */
export const ClaimJobResponse = z.object({
  job: z.object({
    id: z.string().min(1).max(64),
    kind: z.string().regex(JOB_KIND_NAME),
    kind_version: z.number().int().min(1),
    attempt: z.number().int().min(1),
    /** Grows with every claim of the job; heartbeat, steps and complete send it back. */
    lease_token: LeaseToken,
    lease_expires_at: Instant,
    payload: z.record(z.string(), z.unknown()),
  }),
  sealed: SealedBox,
});
export type ClaimJobResponse = z.infer<typeof ClaimJobResponse>;

const Lease = { lease_token: LeaseToken };

export const HeartbeatJobRequest = z.object(Lease).strict();
export type HeartbeatJobRequest = z.infer<typeof HeartbeatJobRequest>;
export const HeartbeatJobResponse = z.object({ lease_expires_at: Instant });
export type HeartbeatJobResponse = z.infer<typeof HeartbeatJobResponse>;

export const ReportJobStepRequest = StepReport.extend(Lease).strict();
export type ReportJobStepRequest = z.infer<typeof ReportJobStepRequest>;
/** `recorded: false`: the platform had this step (name, attempt, status) already. */
export const ReportJobStepResponse = z.object({ recorded: z.boolean() });
export type ReportJobStepResponse = z.infer<typeof ReportJobStepResponse>;

/** The most step reports a completion carries; a runner with more queued sends them first. */
export const MAX_CARRIED_STEPS = 50;
/**
 * `steps`: the job's step reports the runner had not delivered yet, recorded in order before the
 * completion, so the end of a job is one round trip rather than one per step and one more.
 */
export const CompleteJobRequest = CompleteReport.extend(Lease)
  .extend({ steps: z.array(StepReport).max(MAX_CARRIED_STEPS).optional() })
  .strict();
export type CompleteJobRequest = z.infer<typeof CompleteJobRequest>;
export const CompleteJobResponse = z.object({ job_id: z.string(), status: CompleteReport.shape.status });
export type CompleteJobResponse = z.infer<typeof CompleteJobResponse>;
