import { boolean, index, integer, jsonb, pgTable, primaryKey, text, unique } from 'drizzle-orm/pg-core';
import {
  BUILD_STATUSES,
  type BuildArtifact,
  type BuildDeployment,
  CI_PROVIDERS,
  CI_TRIGGERS,
  TRIGGER_ATTEMPT_SOURCES,
  TRIGGER_ATTEMPT_STATUSES,
} from '../../../../shared/contracts/ci';
import { timestamps, tz } from './columns';
import type { StoredEnvelope } from './credentials';
import { services } from './deploy';
import { environments } from './environments';
import { projects } from './projects';
import { users } from './users';

/** A service's CI pipeline: where its builds run and how their deliveries are signed. */
export const ciPipelines = pgTable('ci_pipelines', {
  id: text('id').primaryKey(),
  projectId: text('project_id')
    .notNull()
    .references(() => projects.id),
  serviceId: text('service_id')
    .notNull()
    .references(() => services.id),
  provider: text('provider', { enum: CI_PROVIDERS }).notNull(),
  repository: text('repository').notNull(),
  branchFilter: text('branch_filter'),
  tagFilter: text('tag_filter'),
  trigger: text('trigger', { enum: CI_TRIGGERS }).notNull(),
  schedule: text('schedule'),
  image: text('image').notNull(),
  providerApiUrl: text('provider_api_url'),
  providerJob: text('provider_job'),
  providerCredentialId: text('provider_credential_id'),
  /** The webhook secret, sealed like a credential (the HMAC needs it back, so no hash would do). */
  secretEnvelope: jsonb('secret_envelope').$type<StoredEnvelope>().notNull(),
  secretRotatedAt: tz('secret_rotated_at').notNull(),
  /** The newest cron slot the sweep fired, so no slot fires twice (SPEC §7.2 `schedule`). */
  lastFiredSlot: tz('last_fired_slot'),
  ...timestamps,
  deletedAt: tz('deleted_at'),
});

/** One build per pipeline and commit: a push and the run it starts are the same build. */
export const ciBuilds = pgTable(
  'ci_builds',
  {
    id: text('id').primaryKey(),
    projectId: text('project_id').notNull(),
    serviceId: text('service_id').notNull(),
    pipelineId: text('pipeline_id')
      .notNull()
      .references(() => ciPipelines.id),
    providerRunId: text('provider_run_id'),
    commitSha: text('commit_sha').notNull(),
    ref: text('ref'),
    runNumber: text('run_number'),
    status: text('status', { enum: BUILD_STATUSES }).notNull(),
    artifacts: jsonb('artifacts').$type<BuildArtifact[]>().notNull(),
    /** What CD policies did per target; each outcome is followed from its release when read. */
    deployments: jsonb('deployments').$type<BuildDeployment[]>().notNull().default([]),
    ...timestamps,
  },
  (t) => [unique('ci_builds_pipeline_commit').on(t.pipelineId, t.commitSha)],
);

/** Delivery ids already taken, so a redelivery changes nothing. */
export const ciDeliveries = pgTable(
  'ci_deliveries',
  {
    pipelineId: text('pipeline_id').notNull(),
    deliveryId: text('delivery_id').notNull(),
    buildId: text('build_id'),
    receivedAt: tz('received_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.pipelineId, t.deliveryId] })],
);

/** Refused deliveries counted per pipeline and minute; each minute is audited once, when it is over. */
export const ciWebhookRefusals = pgTable(
  'ci_webhook_refusals',
  {
    pipelineId: text('pipeline_id').notNull(),
    minute: tz('minute').notNull(),
    count: integer('count').notNull(),
    reasons: text('reasons').array().notNull(),
    auditedAt: tz('audited_at'),
  },
  (t) => [primaryKey({ columns: [t.pipelineId, t.minute] })],
);

/** What a service does with its builds in one environment (SPEC §7.2); acts as `savedBy`. */
export const cdPolicies = pgTable(
  'cd_policies',
  {
    serviceId: text('service_id')
      .notNull()
      .references(() => services.id),
    environmentId: text('environment_id')
      .notNull()
      .references(() => environments.id),
    projectId: text('project_id')
      .notNull()
      .references(() => projects.id),
    targetIds: text('target_ids').array().notNull(),
    strategy: text('strategy', { enum: ['rolling', 'recreate'] }).notNull(),
    autoPreviewOnBuild: boolean('auto_preview_on_build').notNull(),
    autoApply: boolean('auto_apply').notNull(),
    approval: text('approval', { enum: ['inherit', 'always'] }).notNull(),
    autoRollbackOnFailure: boolean('auto_rollback_on_failure').notNull(),
    savedBy: text('saved_by')
      .notNull()
      .references(() => users.id),
    ...timestamps,
  },
  (t) => [primaryKey({ columns: [t.serviceId, t.environmentId] })],
);

/** Work a policy owes, done by the sweep: a succeeded build to deploy, a failed release to roll back. */
export const cdWork = pgTable(
  'cd_work',
  {
    id: text('id').primaryKey(),
    kind: text('kind', { enum: ['build', 'rollback'] }).notNull(),
    subjectId: text('subject_id').notNull(),
    createdAt: tz('created_at').notNull(),
    doneAt: tz('done_at'),
  },
  (t) => [unique('cd_work_once').on(t.kind, t.subjectId)],
);

/** Each manual or scheduled trigger of a pipeline: what the provider's API answered, never the token. */
export const ciTriggerAttempts = pgTable(
  'ci_trigger_attempts',
  {
    id: text('id').primaryKey(),
    projectId: text('project_id').notNull(),
    pipelineId: text('pipeline_id')
      .notNull()
      .references(() => ciPipelines.id),
    source: text('source', { enum: TRIGGER_ATTEMPT_SOURCES }).notNull(),
    slot: tz('slot'),
    ref: text('ref'),
    status: text('status', { enum: TRIGGER_ATTEMPT_STATUSES }).notNull(),
    httpStatus: integer('http_status'),
    error: text('error'),
    requestedBy: text('requested_by'),
    createdAt: tz('created_at').notNull(),
    finishedAt: tz('finished_at'),
  },
  (t) => [index('ci_trigger_attempts_pipeline').on(t.pipelineId, t.id)],
);
