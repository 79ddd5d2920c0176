import { jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { INSTALL_TASK_STATUSES } from '../../../../shared/contracts/installs';
import { RUNTIMES } from '../../../../shared/install/manifest';
import { INSTALL_ACTIONS } from '../../../../shared/install/work';
import { timestamps, tz } from './columns';

export const installTasks = pgTable('install_tasks', {
  id: text('id').primaryKey(),
  projectId: text('project_id').notNull(),
  environmentId: text('environment_id').notNull(),
  action: text('action', { enum: INSTALL_ACTIONS }).notNull(),
  runtime: text('runtime', { enum: RUNTIMES }).notNull(),
  version: text('version').notNull(),
  hostIds: text('host_ids').array().notNull(),
  options: jsonb('options').$type<Record<string, unknown>>().notNull(),
  bundle: jsonb('bundle').$type<Record<string, unknown>>().notNull(),
  status: text('status', { enum: INSTALL_TASK_STATUSES }).notNull(),
  approvalTicketId: text('approval_ticket_id'),
  jobId: text('job_id'),
  rollbackOf: text('rollback_of'),
  /** A VIP task: the install it follows. */
  follows: text('follows'),
  result: jsonb('result').$type<Record<string, unknown>>(),
  registered: jsonb('registered').$type<Record<string, unknown>>(),
  createdBy: text('created_by'),
  ...timestamps,
  finishedAt: tz('finished_at'),
});

/** Per environment and host: the files the last successful install put there (SPEC §7.4 Drift). */
export const installFingerprints = pgTable(
  'install_fingerprints',
  {
    environmentId: text('environment_id').notNull(),
    hostId: text('host_id').notNull(),
    projectId: text('project_id').notNull(),
    runtime: text('runtime', { enum: RUNTIMES }).notNull(),
    version: text('version').notNull(),
    prefix: text('prefix').notNull(),
    files: jsonb('files').$type<Record<string, string>>().notNull(),
    taskId: text('task_id').notNull(),
    jobId: text('job_id').notNull(),
    recordedAt: tz('recorded_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.environmentId, t.hostId] })],
);
