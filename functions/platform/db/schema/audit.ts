import { bigint, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { tz } from './columns';

/** One audit MAC data key per process lifetime, wrapped, so verify and rotation can reach it. */
export const auditMacKeys = pgTable('audit_mac_keys', {
  id: text('id').primaryKey(),
  wrappedKey: text('wrapped_key').notNull(),
  keyId: text('key_id').notNull(),
  createdAt: tz('created_at').notNull(),
});

/** From this seq on every event carries a MAC (the events before the MACs came have none). */
export const auditMacStart = pgTable('audit_mac_start', {
  seq: bigint('seq', { mode: 'number' }).notNull(),
});

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
  macKeyId: text('mac_key_id').references(() => auditMacKeys.id),
  mac: text('mac'),
});
