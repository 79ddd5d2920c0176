import { bigint, integer, jsonb, pgTable, smallint, text, unique } from 'drizzle-orm/pg-core';
import type { AuditEvent } from '../../../../shared/contracts/audit';
import { DELIVERY_STATUSES, type DeliveryAttempt } from '../../../../shared/contracts/notifications';
import { timestamps, tz } from './columns';
import type { StoredEnvelope } from './credentials';
import { projects } from './projects';

/** Where a project's audit events go, and the secret their signatures are made with. */
export const notificationEndpoints = pgTable('notification_endpoints', {
  id: text('id').primaryKey(),
  projectId: text('project_id')
    .notNull()
    .references(() => projects.id),
  url: text('url').notNull(),
  events: text('events').array().notNull(),
  /** Sealed like a credential: signing needs it back, so no hash would do. */
  secretEnvelope: jsonb('secret_envelope').$type<StoredEnvelope>().notNull(),
  secretRotatedAt: tz('secret_rotated_at').notNull(),
  fromSeq: bigint('from_seq', { mode: 'number' }).notNull(),
  ...timestamps,
  deletedAt: tz('deleted_at'),
});

/** One audit event for one endpoint: made once, tried until it succeeds or its tries run out. */
export const notificationDeliveries = pgTable(
  'notification_deliveries',
  {
    id: text('id').primaryKey(),
    endpointId: text('endpoint_id')
      .notNull()
      .references(() => notificationEndpoints.id),
    projectId: text('project_id').notNull(),
    eventId: text('event_id').notNull(),
    type: text('type').notNull(),
    occurredAt: tz('occurred_at').notNull(),
    data: jsonb('data').$type<AuditEvent>().notNull(),
    status: text('status', { enum: DELIVERY_STATUSES }).notNull(),
    attempts: jsonb('attempts').$type<DeliveryAttempt[]>().notNull(),
    tries: integer('tries').notNull(),
    nextAttemptAt: tz('next_attempt_at'),
    ...timestamps,
  },
  (t) => [unique('notification_deliveries_once').on(t.endpointId, t.eventId)],
);

export const notificationCursor = pgTable('notification_cursor', {
  id: smallint('id').primaryKey(),
  seq: bigint('seq', { mode: 'number' }).notNull(),
});
