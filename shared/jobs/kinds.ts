import { z } from 'zod';
import { clusterTestKind } from './cluster-test';
import { environmentInstallKind } from './environment-install';
import { hostTestKind } from './host-test';
import { installVerifyKind } from './install-verify';
import { releaseApplyKind } from './release-apply';
import { targetStatusKind } from './target-status';

/**
 * Every job kind, the one list of them on the shared side. Each kind's contract is its own module
 * (`defineJobKind`); what the platform and the runner do with it is registered on each side.
 * Payloads never hold secrets: credentials and unmasked revisions reach a runner only in its claim
 * response, sealed to its key.
 */
export const JOB_KIND_DEFINITIONS = [
  releaseApplyKind,
  hostTestKind,
  clusterTestKind,
  environmentInstallKind,
  targetStatusKind,
  installVerifyKind,
] as const;
export type JobKind = (typeof JOB_KIND_DEFINITIONS)[number]['kind'];
export const JOB_KIND_NAMES = JOB_KIND_DEFINITIONS.map((d) => d.kind) as [JobKind, ...JobKind[]];

export { ClusterTestPayload } from './cluster-test';
export { HostTestPayload } from './host-test';
export { ReleaseApplyPayload } from './release-apply';

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
