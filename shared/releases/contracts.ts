/**
 * Request and response schemas of releases (SPEC §4); targets and services: shared/contracts/deploy.ts. The routes validate
 * with them, the OpenAPI document is generated from them, and the runner and the SPA import them.
 */
import { z } from 'zod';
import { LIFECYCLE_STATES, RELEASE_STATUSES } from './lifecycle';
import { VARIABLE_NAME, VARIABLE_NAME_RULE } from './variable-name';

export const RUNTIME_TYPES = ['k8s', 'compose'] as const;
export const RuntimeType = z.enum(RUNTIME_TYPES);
export type RuntimeType = z.infer<typeof RuntimeType>;

export const STRATEGIES = ['rolling', 'recreate'] as const;
export const Strategy = z.enum(STRATEGIES);
export type Strategy = z.infer<typeof Strategy>;

/** Why a release is risky; shared/releases/risk.ts says what each rule looks at. */
export const RISK_RULES = [
  'resource_deleted',
  'scaled_to_zero',
  'secret_changed',
  'secret_variable_changed',
  'host_power',
  'production',
  'staging_change',
] as const;
export type RiskRule = (typeof RISK_RULES)[number];

export const RISK_LEVELS = ['low', 'medium', 'high', 'critical'] as const;
export const RiskLevel = z.enum(RISK_LEVELS);
export type RiskLevel = z.infer<typeof RiskLevel>;

const Id = z.string().min(1).max(64);
export const VariableName = z.string().regex(VARIABLE_NAME, VARIABLE_NAME_RULE);
// Releases

/** Values are checked by the renderer (single line, used by the template), with field paths. */
export const Variables = z
  .record(VariableName, z.string().max(64 * 1024))
  .refine((v) => Object.keys(v).length <= 200, 'at most 200 variables');

export const PreviewReleaseRequest = z
  .object({
    service_id: Id,
    target_id: Id,
    strategy: Strategy.default('rolling'),
    variables: Variables.default({}),
  })
  .strict();
export type PreviewReleaseRequest = z.infer<typeof PreviewReleaseRequest>;

export const ApplyReleaseRequest = z.object({ preview_ref: z.string().min(1).max(128) }).strict();
export type ApplyReleaseRequest = z.infer<typeof ApplyReleaseRequest>;

export const CHECK_STATUSES = ['pass', 'warn', 'fail'] as const;
export const Check = z.object({
  name: z.string(),
  status: z.enum(CHECK_STATUSES),
  detail: z.string(),
  /** Checks from what the platform last saw: where it comes from (`host web-1 test`, …). */
  source: z.string().optional(),
  /** When that was seen, and how many seconds before the preview; null: never. */
  observed_at: z.string().nullable().optional(),
  age_seconds: z.number().int().nullable().optional(),
});
export type Check = z.infer<typeof Check>;

const Change = z.enum(['added', 'removed', 'changed', 'unchanged']);
export type Change = z.infer<typeof Change>;

export const DiffSummary = z.object({
  images_changed: z.array(
    z.object({
      resource: z.string(),
      container: z.string(),
      from: z.string().nullable(),
      to: z.string().nullable(),
    }),
  ),
  replicas_changed: z.array(
    z.object({ resource: z.string(), from: z.number().int().nullable(), to: z.number().int().nullable() }),
  ),
  resources_added: z.array(z.string()),
  resources_removed: z.array(z.string()),
  secrets: z.array(z.object({ name: z.string(), key: z.string(), change: Change })),
  secret_variables: z.array(z.object({ name: z.string(), change: Change })),
  scaled_to_zero: z.array(z.string()),
});
export type DiffSummary = z.infer<typeof DiffSummary>;

export const ReleaseDiff = z.object({ unified: z.string(), summary: DiffSummary });
export type ReleaseDiff = z.infer<typeof ReleaseDiff>;

/** Why the release has its risk level (SPEC §7.5 "risk returns its reasons"); names, never values. */
const RiskReasonOut = z.object({ rule: z.enum(RISK_RULES), detail: z.string() });

export const Release = z.object({
  release_id: z.string(),
  id: z.string(),
  status: z.enum(RELEASE_STATUSES),
  lifecycle_state: z.enum(LIFECYCLE_STATES),
  runtime_type: RuntimeType,
  approval_required: z.boolean(),
  approval_ticket: z.string().nullable(),
  preview_ref: z.string().nullable(),
  diagnostics_json: z.record(z.string(), z.unknown()).nullable(),
  /**
   * True once retention removed the raw output: `diagnostics_json` then holds only the summary
   * (`error_code`, `message`, `failed_step`, `host_id`, `retention_days`).
   */
  diagnostics_trimmed: z.boolean(),
  service_id: z.string(),
  target_id: z.string(),
  environment_id: z.string(),
  project_id: z.string(),
  strategy: Strategy,
  risk_level: RiskLevel,
  risk_reasons: z.array(RiskReasonOut),
  checks: z.array(Check),
  diff: ReleaseDiff,
  expires_at: z.string(),
  rollback_of: z.string().nullable(),
  created_by: z.string(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type Release = z.infer<typeof Release>;

/**
 * What was approved, read back (SPEC §7.5): `masked_digest` is the sha256 hex of exactly the UTF-8
 * bytes of `masked_revision`, so anyone can recompute it; `revision_digest` binds the unmasked
 * revision. Each secret shows as `***` and an 8-hex tag that changes when its value changes. Null
 * for releases previewed before masked revisions were kept.
 */
export const ReleaseRevision = z.object({
  release_id: z.string(),
  masked_revision: z.string().nullable(),
  masked_digest: z.string().nullable(),
  revision_digest: z.string(),
});
export type ReleaseRevision = z.infer<typeof ReleaseRevision>;
