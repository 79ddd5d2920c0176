/**
 * Request and response schemas of CI pipelines, their inbound webhooks and the builds those
 * report (SPEC §7.2). The platform builds nothing itself: a build is what a provider said.
 */
import { z } from 'zod';
import { parseCron } from '../ci/cron';
import { IMAGE_VARIABLES, imageTemplateProblem } from '../ci/image';

export const CI_PROVIDERS = ['github_actions', 'gitlab_ci', 'jenkins', 'generic'] as const;
export const CiProvider = z.enum(CI_PROVIDERS);
export type CiProvider = z.infer<typeof CiProvider>;

export const CI_TRIGGERS = ['push', 'tag', 'manual', 'schedule'] as const;
export const CiTrigger = z.enum(CI_TRIGGERS);

export const BUILD_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'unknown'] as const;
export const BuildStatus = z.enum(BUILD_STATUSES);
export type BuildStatus = z.infer<typeof BuildStatus>;
/** States a provider will not move on from; the rest time out to `unknown`. */
export const FINAL_BUILD_STATUSES: readonly BuildStatus[] = ['succeeded', 'failed'];

const Id = z.string().min(1).max(64);
/** `owner/name`, a group path or a URL: what the provider calls the repository. */
const Repository = z.string().min(1).max(512);
/** A glob over a branch or tag name (`*` matches any run of characters). */
const RefFilter = z.string().min(1).max(255);
/** Five cron fields: minute, hour, day of month, month, day of week. */
const Schedule = z
  .string()
  .max(255)
  .superRefine((value, ctx) => {
    const r = parseCron(value);
    if (!r.ok) ctx.addIssue({ code: 'custom', message: r.message });
  })
  .meta({ description: 'A 5-field cron expression, in UTC', example: '30 2 * * 1-5' });
export const ImageTemplate = z
  .string()
  .min(1)
  .max(512)
  .superRefine((value, ctx) => {
    const problem = imageTemplateProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .meta({
    description: `An image reference with placeholders among ${IMAGE_VARIABLES.map((v) => `\${${v}}`).join(', ')}`,
    // biome-ignore lint/suspicious/noTemplateCurlyInString: an image template placeholder, not a JS one
    example: 'registry.internal/web:${SHORT_SHA}',
  });
const HttpUrl = z
  .string()
  .max(2048)
  .url()
  .refine((u) => /^https?:\/\//i.test(u), 'must be an http(s) URL');

const PipelineFields = {
  repository: Repository,
  branch_filter: RefFilter.nullable().optional(),
  tag_filter: RefFilter.nullable().optional(),
  trigger: CiTrigger,
  schedule: Schedule.nullable().optional(),
  image: ImageTemplate,
  provider_api_url: HttpUrl.nullable().optional(),
  provider_job: z.string().min(1).max(512).nullable().optional(),
  provider_credential_id: Id.nullable().optional(),
};

export const CreatePipelineRequest = z
  .object({ project_id: Id, service_id: Id, provider: CiProvider, ...PipelineFields })
  .strict();
export type CreatePipelineRequest = z.infer<typeof CreatePipelineRequest>;

export const PatchPipelineRequest = z
  .object({
    ...PipelineFields,
    repository: Repository.optional(),
    trigger: CiTrigger.optional(),
    image: ImageTemplate.optional(),
  })
  .strict();
export type PatchPipelineRequest = z.infer<typeof PatchPipelineRequest>;

export const ListPipelinesQuery = z.object({ project_id: Id.optional(), service_id: Id.optional() });

export const Pipeline = z.object({
  id: z.string(),
  project_id: z.string(),
  service_id: z.string(),
  provider: CiProvider,
  repository: z.string(),
  branch_filter: z.string().nullable(),
  tag_filter: z.string().nullable(),
  trigger: CiTrigger,
  schedule: z.string().nullable(),
  image: z.string(),
  provider_api_url: z.string().nullable(),
  provider_job: z.string().nullable(),
  provider_credential_id: z.string().nullable(),
  /** Where the provider sends its deliveries (no token: the signature authenticates them). */
  webhook_url: z.string(),
  /** When the sweep fires a `schedule` pipeline next (UTC); null for other triggers. */
  next_fire_at: z.string().nullable(),
  secret_rotated_at: z.string(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type Pipeline = z.infer<typeof Pipeline>;

/** Creation and rotation answer the secret, once; it is never readable again. */
export const PipelineWithSecret = Pipeline.extend({ webhook_secret: z.string() });
export type PipelineWithSecret = z.infer<typeof PipelineWithSecret>;

export const BuildArtifact = z.object({ image: z.string(), digest: z.string().nullable() });
export type BuildArtifact = z.infer<typeof BuildArtifact>;

/**
 * What a CD policy did on one target: `outcome` is the release's lifecycle state, followed to
 * its end, or `skipped` (TARGET_BUSY, PREVIEW_STALE) / `refused` (a 422 or a lost permission)
 * when no release could be made or moved.
 */
export const BuildDeployment = z.object({
  environment_id: z.string(),
  target_id: z.string(),
  release_id: z.string().nullable(),
  outcome: z.string(),
  error_code: z.string().nullable(),
});
export type BuildDeployment = z.infer<typeof BuildDeployment>;

export const Build = z.object({
  id: z.string(),
  project_id: z.string(),
  service_id: z.string(),
  pipeline_id: z.string(),
  provider_run_id: z.string().nullable(),
  commit: z.string(),
  ref: z.string().nullable(),
  status: BuildStatus,
  artifacts: z.array(BuildArtifact),
  /** One entry per target a CD policy acted on. */
  deployments: z.array(BuildDeployment),
  created_at: z.string(),
  updated_at: z.string(),
});
export type Build = z.infer<typeof Build>;

export const ListBuildsQuery = z.object({
  project_id: Id.optional(),
  service_id: Id.optional(),
  pipeline_id: Id.optional(),
  status: BuildStatus.optional(),
});

export const WebhookAccepted = z.object({
  duplicate: z.boolean(),
  /** The build the delivery created or moved; null for an event that says nothing about a build. */
  build_id: z.string().nullable(),
  /** Why a delivery was recorded but made no build (a ping, a ref the filters exclude). */
  ignored: z.string().nullable(),
});
export type WebhookAccepted = z.infer<typeof WebhookAccepted>;

export const TRIGGER_ATTEMPT_SOURCES = ['manual', 'schedule'] as const;
/** `recorded`: the pipeline names no provider API and token, so only the intent was kept. */
export const TRIGGER_ATTEMPT_STATUSES = ['recorded', 'pending', 'succeeded', 'failed'] as const;

export const TriggerRequest = z
  .object({
    /** The branch to run; by default the pipeline's branch filter when it names one branch. */
    ref: z
      .string()
      .min(1)
      .max(255)
      .regex(/^[^\s\0]+$/, 'a branch or tag name')
      .optional(),
  })
  .strict();
export type TriggerRequest = z.infer<typeof TriggerRequest>;

export const TriggerAttempt = z.object({
  id: z.string(),
  pipeline_id: z.string(),
  source: z.enum(TRIGGER_ATTEMPT_SOURCES),
  /** The cron slot a scheduled attempt fired for. */
  slot: z.string().nullable(),
  ref: z.string().nullable(),
  status: z.enum(TRIGGER_ATTEMPT_STATUSES),
  /** What the provider's API answered, when it answered. */
  http_status: z.number().int().nullable(),
  error: z.string().nullable(),
  /** The user who asked; null for the sweep's scheduled attempts. */
  requested_by: z.string().nullable(),
  created_at: z.string(),
  finished_at: z.string().nullable(),
});
export type TriggerAttempt = z.infer<typeof TriggerAttempt>;
