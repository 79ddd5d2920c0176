import { bigint, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { tz } from './columns';

export const auditEvents = pgTable('audit_events', {
  id: text('id').primaryKey(),
  seq: bigint('seq', { mode: 'number' }).notNull().unique(),
  action: text('action').notNull(),
  resourceType: text('resource_type').notNull(),
  resourceId: text('resource_id').notNull(),
  projectId: text('project_id'),
  teamId: text('team_id'),
  environmentId: text('environment_id'),
  actorId: text('actor_id'),
  source: text('source').notNull(),
  status: text('status').notNull(),
  occurredAt: tz('occurred_at').notNull(),
  detail: jsonb('detail').$type<Record<string, unknown>>().notNull(),
  prevHash: text('prev_hash').notNull(),
  hash: text('hash').notNull(),
});
