import { z } from 'zod';
import { InstallPayload } from '../install/work';

/**
 * Job kinds: a definition (kind, version, payload schema) shared by the platform that creates
 * the job and the runner that executes it. Payloads never hold secrets: credentials and unmasked
 * revisions reach a runner only in its claim response, sealed to its key.
 */
export const ReleaseApplyPayload = z.object({
  release_id: z.string(),
  target_id: z.string(),
  runtime_type: z.enum(['k8s', 'compose']),
  strategy: z.enum(['rolling', 'recreate']),
  revision_digest: z.string(),
  rollback_of: z.string().nullable(),
});
export type ReleaseApplyPayload = z.infer<typeof ReleaseApplyPayload>;

export const HostTestPayload = z.object({ host_id: z.string() });
export const ClusterTestPayload = z.object({ cluster_id: z.string() });

export const JOB_KINDS = {
  environment_install: { version: 1, payload: InstallPayload },
  release_apply: { version: 1, payload: ReleaseApplyPayload },
  host_test: { version: 1, payload: HostTestPayload },
  cluster_test: { version: 1, payload: ClusterTestPayload },
} as const;
export type JobKind = keyof typeof JOB_KINDS;

export const JOB_STEP_STATUSES = ['running', 'succeeded', 'failed', 'skipped'] as const;

export const StepReport = z
  .object({
    name: z.string().regex(/^[a-z0-9_.-]{1,64}$/),
    attempt: z.number().int().min(1).max(1000),
    status: z.enum(JOB_STEP_STATUSES),
    started_at: z.iso.datetime({ offset: true }).optional(),
    finished_at: z.iso.datetime({ offset: true }).optional(),
    /** Bounded: the runner sends the tail of long output. */
    output: z.string().max(16_384).optional(),
    error_code: z
      .string()
      .regex(/^[A-Z][A-Z0-9_]{1,63}$/)
      .optional(),
    detail: z.record(z.string(), z.unknown()).optional(),
    /** The host the step ran against, when it ran against one. */
    host_id: z.string().max(64).optional(),
    /** On first contact with a host: its key as `ssh-keygen -lf` prints it; the platform pins it. */
    observed_host_key: z
      .string()
      .regex(/^SHA256:[A-Za-z0-9+/]{43}$/)
      .optional(),
  })
  .strict();
export type StepReport = z.infer<typeof StepReport>;

export const CompleteReport = z
  .object({
    status: z.enum(['succeeded', 'failed']),
    error_code: z
      .string()
      .regex(/^[A-Z][A-Z0-9_]{1,63}$/)
      .optional(),
    diagnostics: z.record(z.string(), z.unknown()).optional(),
    result: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();
export type CompleteReport = z.infer<typeof CompleteReport>;
