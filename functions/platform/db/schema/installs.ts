import { jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { timestamps, tz } from './columns';

export const installTasks = pgTable('install_tasks', {
  id: text('id').primaryKey(),
  projectId: text('project_id').notNull(),
  environmentId: text('environment_id').notNull(),
  action: text('action', { enum: ['install', 'uninstall', 'rollback'] }).notNull(),
  runtime: text('runtime', { enum: ['compose', 'k8s'] }).notNull(),
  version: text('version').notNull(),
  hostIds: text('host_ids').array().notNull(),
  options: jsonb('options').$type<Record<string, unknown>>().notNull(),
  bundle: jsonb('bundle').$type<Record<string, unknown>>().notNull(),
  status: text('status', {
    enum: [
      'pending_approval',
      'queued',
      'running',
      'succeeded',
      'failed',
      'rejected',
      'expired',
      'rolled_back',
    ],
  }).notNull(),
  approvalTicketId: text('approval_ticket_id'),
  jobId: text('job_id'),
  rollbackOf: text('rollback_of'),
  result: jsonb('result').$type<Record<string, unknown>>(),
  registered: jsonb('registered').$type<Record<string, unknown>>(),
  createdBy: text('created_by'),
  ...timestamps,
  finishedAt: tz('finished_at'),
});
