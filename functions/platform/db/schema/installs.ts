import { jsonb, pgTable, text } from 'drizzle-orm/pg-core';
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
  result: jsonb('result').$type<Record<string, unknown>>(),
  registered: jsonb('registered').$type<Record<string, unknown>>(),
  createdBy: text('created_by'),
  ...timestamps,
  finishedAt: tz('finished_at'),
});
