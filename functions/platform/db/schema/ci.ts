import { index, integer, jsonb, pgTable, primaryKey, text, unique } from 'drizzle-orm/pg-core';
import {
  BUILD_STATUSES,
  type BuildArtifact,
  CI_PROVIDERS,
  CI_TRIGGERS,
  TRIGGER_ATTEMPT_SOURCES,
  TRIGGER_ATTEMPT_STATUSES,
} from '../../../../shared/contracts/ci';
import { timestamps, tz } from './columns';
import type { StoredEnvelope } from './credentials';
import { services } from './deploy';
import { projects } from './projects';

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
