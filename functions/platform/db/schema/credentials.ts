import { integer, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { CLUSTER_MODES, CLUSTER_SOURCES, CREDENTIAL_KINDS } from '../../../../shared/contracts/credentials';
import { timestamps, tz } from './columns';
import { projects } from './projects';

export type StoredEnvelope = {
  v: number;
  alg: string;
  ciphertext: string;
  nonce: string;
  tag: string;
  wrapped_key: string;
  key_id: string;
};

export const credentials = pgTable('credentials', {
  id: text('id').primaryKey(),
  projectId: text('project_id')
    .notNull()
    .references(() => projects.id),
  name: text('name').notNull(),
  kind: text('kind', { enum: CREDENTIAL_KINDS }).notNull(),
  metadata: jsonb('metadata').$type<Record<string, unknown>>().notNull(),
  envelope: jsonb('envelope').$type<StoredEnvelope>().notNull(),
  createdBy: text('created_by'),
  ...timestamps,
  deletedAt: tz('deleted_at'),
});

export const hosts = pgTable('hosts', {
  id: text('id').primaryKey(),
  projectId: text('project_id')
    .notNull()
    .references(() => projects.id),
  name: text('name').notNull(),
  address: text('address').notNull(),
  port: integer('port').notNull(),
  username: text('username').notNull(),
  credentialId: text('credential_id')
    .notNull()
    .references(() => credentials.id),
  runnerPoolId: text('runner_pool_id'),
  hostKeyFingerprint: text('host_key_fingerprint'),
  hostKeyPinnedAt: tz('host_key_pinned_at'),
  lastTest: jsonb('last_test').$type<Record<string, unknown>>(),
  /** A host of the same project the runner connects through (one hop). */
  jumpHostId: text('jump_host_id'),
  /** What the runner last detected: `{dialect, version, seen_at, job_id}`. */
  compose: jsonb('compose').$type<Record<string, unknown>>(),
  ...timestamps,
  deletedAt: tz('deleted_at'),
});

export const clusters = pgTable('clusters', {
  id: text('id').primaryKey(),
  projectId: text('project_id')
    .notNull()
    .references(() => projects.id),
  name: text('name').notNull(),
  clusterSource: text('cluster_source', { enum: CLUSTER_SOURCES }).notNull(),
  mode: text('mode', { enum: CLUSTER_MODES }).notNull(),
  server: text('server').notNull(),
  credentialId: text('credential_id')
    .notNull()
    .references(() => credentials.id),
  runnerPoolId: text('runner_pool_id'),
  metadata: jsonb('metadata').$type<Record<string, unknown>>().notNull(),
  lastTest: jsonb('last_test').$type<Record<string, unknown>>(),
  ...timestamps,
  deletedAt: tz('deleted_at'),
});

/** The credential version (its data key's SHA-256) each reveal ticket was asked for. */
export const credentialRevealTickets = pgTable('credential_reveal_tickets', {
  ticketId: text('ticket_id').primaryKey(),
  credentialId: text('credential_id')
    .notNull()
    .references(() => credentials.id),
  dataKeySha256: text('data_key_sha256').notNull(),
});
