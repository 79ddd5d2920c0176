/**
 * CD policies (SPEC §7.2): what a service does with its builds in one environment, and the
 * release chain (service → build → release → ticket → decisions → actors) in one answer.
 */
import { z } from 'zod';

const Id = z.string().min(1).max(64);

export const CD_APPROVALS = ['inherit', 'always'] as const;

export const PutCdPolicyRequest = z
  .object({
    target_ids: z.array(Id).max(50),
    strategy: z.enum(['rolling', 'recreate']).default('rolling'),
    auto_preview_on_build: z.boolean().default(false),
    auto_apply: z.boolean().default(false),
    /** `always` puts every apply behind a ticket; a policy is never looser than the project's. */
    approval: z.enum(CD_APPROVALS).default('inherit'),
    auto_rollback_on_failure: z.boolean().default(false),
  })
  .strict();
export type PutCdPolicyRequest = z.infer<typeof PutCdPolicyRequest>;

export const CdPolicy = z.object({
  service_id: z.string(),
  environment_id: z.string(),
  project_id: z.string(),
  target_ids: z.array(z.string()),
  strategy: z.enum(['rolling', 'recreate']),
  auto_preview_on_build: z.boolean(),
  auto_apply: z.boolean(),
  approval: z.enum(CD_APPROVALS),
  auto_rollback_on_failure: z.boolean(),
  /** Automatic actions run with this user's permissions, re-checked at each action. */
  saved_by: z.string(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type CdPolicy = z.infer<typeof CdPolicy>;

export const ListCdPoliciesQuery = z.object({ service_id: Id });

/** The build a release came from (SPEC §7.2 "the release carries `build`"). */
export const ReleaseBuild = z.object({
  id: z.string(),
  pipeline_id: z.string(),
  commit: z.string(),
  ref: z.string().nullable(),
  provider_run_id: z.string().nullable(),
});
export type ReleaseBuild = z.infer<typeof ReleaseBuild>;

const Actor = z.object({
  user_id: z.string().nullable(),
  username: z.string().nullable(),
  source: z.string(),
});

export const ReleaseChain = z.object({
  service: z.object({ id: z.string(), name: z.string() }),
  build: ReleaseBuild.nullable(),
  /** Left out (null) unless the caller may read the release (deploy:release:read + runtime read). */
  release: z
    .object({
      id: z.string(),
      lifecycle_state: z.string(),
      target_id: z.string(),
      environment_id: z.string(),
      rollback_of: z.string().nullable(),
      created_by: z.string(),
      created_at: z.string(),
    })
    .nullable(),
  ticket: z
    .object({ id: z.string(), status: z.string(), requested_by: z.string(), created_at: z.string() })
    .nullable(),
  decisions: z.array(
    z.object({
      decision: z.string(),
      decided_by: z.string(),
      /** Like the actors': null when the user is gone. */
      decided_by_username: z.string().nullable(),
      comment: z.string().nullable(),
      at: z.string(),
    }),
  ),
  /** Everyone who acted, in the order of the release's events; `on_behalf_of` for automatic ones. */
  actors: z.array(
    z.object({
      action: z.string(),
      at: z.string(),
      actor: Actor,
      on_behalf_of: z.string().nullable(),
      on_behalf_of_username: z.string().nullable(),
    }),
  ),
});
export type ReleaseChain = z.infer<typeof ReleaseChain>;
