import { jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { timestamps, tz } from './columns';

export const runnerPools = pgTable('runner_pools', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  projectId: text('project_id'),
  createdBy: text('created_by'),
  ...timestamps,
  deletedAt: tz('deleted_at'),
});

export const runnerRegistrationTokens = pgTable('runner_registration_tokens', {
  id: text('id').primaryKey(),
  runnerPoolId: text('runner_pool_id').notNull(),
  tokenHash: text('token_hash').notNull(),
  expiresAt: tz('expires_at').notNull(),
  usedAt: tz('used_at'),
  runnerId: text('runner_id'),
  createdBy: text('created_by'),
  createdAt: tz('created_at').notNull(),
});

export const runners = pgTable('runners', {
  id: text('id').primaryKey(),
  runnerPoolId: text('runner_pool_id').notNull(),
  name: text('name').notNull(),
  labels: jsonb('labels').$type<Record<string, string>>().notNull(),
  publicKey: text('public_key').notNull(),
  tokenHash: text('token_hash').notNull(),
  version: text('version'),
  lastSeenAt: tz('last_seen_at'),
  revokedAt: tz('revoked_at'),
  ...timestamps,
});
