import { bigint, integer, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { JOB_STEP_STATUSES } from '../../../../shared/jobs/kinds';
import { JOB_STATUSES } from '../../../../shared/jobs/status';
import { timestamps, tz } from './columns';

export const jobs = pgTable('jobs', {
  id: text('id').primaryKey(),
  kind: text('kind').notNull(),
  projectId: text('project_id').notNull(),
  environmentId: text('environment_id'),
  runnerPoolId: text('runner_pool_id'),
  resourceType: text('resource_type').notNull(),
  resourceId: text('resource_id').notNull(),
  payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
  status: text('status', { enum: JOB_STATUSES }).notNull(),
  attempts: integer('attempts').notNull(),
  leaseToken: integer('lease_token').notNull(),
  leaseExpiresAt: tz('lease_expires_at'),
  runnerId: text('runner_id'),
  result: jsonb('result').$type<Record<string, unknown>>(),
  ...timestamps,
  finishedAt: tz('finished_at'),
  queueReceipt: text('queue_receipt'),
  dispatchedAt: tz('dispatched_at'),
});

export const jobSteps = pgTable('job_steps', {
  id: text('id').primaryKey(),
  jobId: text('job_id').notNull(),
  name: text('name').notNull(),
  attempt: integer('attempt').notNull(),
  status: text('status', { enum: JOB_STEP_STATUSES }).notNull(),
  startedAt: tz('started_at'),
  finishedAt: tz('finished_at'),
  output: text('output'),
  errorCode: text('error_code'),
  detail: jsonb('detail').$type<Record<string, unknown>>(),
  hostId: text('host_id'),
});

export const auditCheckpoints = pgTable('audit_checkpoints', {
  id: text('id').primaryKey(),
  lastEventId: text('last_event_id').notNull(),
  lastSeq: bigint('last_seq', { mode: 'number' }).notNull().unique(),
  eventCount: bigint('event_count', { mode: 'number' }).notNull(),
  lastHash: text('last_hash').notNull(),
  mac: text('mac').notNull(),
  wrappedKey: text('wrapped_key').notNull(),
  keyId: text('key_id').notNull(),
  createdAt: tz('created_at').notNull(),
  prevMac: text('prev_mac'),
  anchoredAt: tz('anchored_at'),
});
