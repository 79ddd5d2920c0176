import { and, asc, eq, gt, inArray, isNull, lte } from 'drizzle-orm';
import type { DeliveryStatus } from '../../../shared/contracts/notifications';
import {
  auditEvents,
  notificationCursor,
  notificationDeliveries,
  notificationEndpoints,
} from '../../platform/db/schema';
import type { Db } from '../../platform/db/types';
import { type VisibleWindow, visiblePage } from '../../platform/db/visible';

export type EndpointRow = typeof notificationEndpoints.$inferSelect;
export type DeliveryRow = typeof notificationDeliveries.$inferSelect;

const liveEndpoint = (id: string) =>
  and(eq(notificationEndpoints.id, id), isNull(notificationEndpoints.deletedAt));

/** An endpoint that is not deleted: a deleted one answers 404. */
export async function findEndpoint(db: Db, id: string): Promise<EndpointRow | undefined> {
  const [row] = await db.select().from(notificationEndpoints).where(liveEndpoint(id));
  return row;
}

export async function lockEndpoint(db: Db, id: string): Promise<EndpointRow | undefined> {
  const [row] = await db.select().from(notificationEndpoints).where(liveEndpoint(id)).for('update');
  return row;
}

export async function insertEndpoint(db: Db, row: EndpointRow): Promise<void> {
  await db.insert(notificationEndpoints).values(row);
}

export async function updateEndpoint(
  db: Db,
  id: string,
  set: Partial<Pick<EndpointRow, 'url' | 'events' | 'secretEnvelope' | 'secretRotatedAt' | 'deletedAt'>>,
  now: Date,
): Promise<void> {
  await db
    .update(notificationEndpoints)
    .set({ ...set, updatedAt: now })
    .where(eq(notificationEndpoints.id, id));
}

export async function listEndpoints(db: Db, w: VisibleWindow) {
  return db
    .select()
    .from(notificationEndpoints)
    .where(and(isNull(notificationEndpoints.deletedAt), visiblePage(notificationEndpoints, w)))
    .orderBy(asc(notificationEndpoints.id))
    .limit(w.limit);
}

/** The live endpoints of some projects, for matching a batch of audit events. */
export async function endpointsOfProjects(db: Db, projectIds: string[]): Promise<EndpointRow[]> {
  if (!projectIds.length) return [];
  return db
    .select()
    .from(notificationEndpoints)
    .where(
      and(isNull(notificationEndpoints.deletedAt), inArray(notificationEndpoints.projectId, projectIds)),
    );
}

/** The endpoints of these ids, deleted ones included (a delivery of a deleted endpoint ends). */
export async function endpointsByIds(db: Db, ids: string[]): Promise<EndpointRow[]> {
  if (!ids.length) return [];
  return db.select().from(notificationEndpoints).where(inArray(notificationEndpoints.id, ids));
}

/** The cursor row, locked: one sweep at a time turns audit events into deliveries. */
export async function lockCursor(db: Db): Promise<number> {
  const [row] = await db.select().from(notificationCursor).for('update');
  return row?.seq ?? 0;
}

export async function saveCursor(db: Db, seq: number): Promise<void> {
  await db.update(notificationCursor).set({ seq }).where(eq(notificationCursor.id, 1));
}

/** Audit events of projects after the cursor, in chain order. */
export async function eventsAfter(db: Db, seq: number, limit: number) {
  return db
    .select()
    .from(auditEvents)
    .where(gt(auditEvents.seq, seq))
    .orderBy(asc(auditEvents.seq))
    .limit(limit);
}

/** Inserts deliveries; one already made for an endpoint and event stays as it is. */
export async function insertDeliveries(db: Db, rows: DeliveryRow[]): Promise<number> {
  if (!rows.length) return 0;
  const inserted = await db
    .insert(notificationDeliveries)
    .values(rows)
    .onConflictDoNothing({ target: [notificationDeliveries.endpointId, notificationDeliveries.eventId] })
    .returning({ id: notificationDeliveries.id });
  return inserted.length;
}

export async function findDelivery(db: Db, id: string): Promise<DeliveryRow | undefined> {
  const [row] = await db.select().from(notificationDeliveries).where(eq(notificationDeliveries.id, id));
  return row;
}

export async function lockDelivery(db: Db, id: string): Promise<DeliveryRow | undefined> {
  const [row] = await db
    .select()
    .from(notificationDeliveries)
    .where(eq(notificationDeliveries.id, id))
    .for('update');
  return row;
}

export async function listDeliveries(
  db: Db,
  w: VisibleWindow & { endpointId?: string; status?: DeliveryStatus },
) {
  return db
    .select()
    .from(notificationDeliveries)
    .where(
      and(
        visiblePage(notificationDeliveries, w),
        w.endpointId ? eq(notificationDeliveries.endpointId, w.endpointId) : undefined,
        w.status ? eq(notificationDeliveries.status, w.status) : undefined,
      ),
    )
    .orderBy(asc(notificationDeliveries.id))
    .limit(w.limit);
}

/**
 * Takes up to `limit` deliveries due now and pushes their next try past `leaseUntil`, so a second
 * sweep running meanwhile does not send them too; the try's outcome then sets the real next time.
 */
export async function claimDue(db: Db, now: Date, leaseUntil: Date, limit: number): Promise<DeliveryRow[]> {
  return db.transaction(async (tx) => {
    const due = await tx
      .select()
      .from(notificationDeliveries)
      .where(
        and(eq(notificationDeliveries.status, 'pending'), lte(notificationDeliveries.nextAttemptAt, now)),
      )
      .orderBy(asc(notificationDeliveries.nextAttemptAt))
      .limit(limit)
      .for('update', { skipLocked: true });
    if (!due.length) return [];
    await tx
      .update(notificationDeliveries)
      .set({ nextAttemptAt: leaseUntil })
      .where(
        inArray(
          notificationDeliveries.id,
          due.map((d) => d.id),
        ),
      );
    return due;
  });
}

export async function updateDelivery(
  db: Db,
  id: string,
  set: Partial<Pick<DeliveryRow, 'status' | 'attempts' | 'tries' | 'nextAttemptAt'>>,
  now: Date,
): Promise<void> {
  await db
    .update(notificationDeliveries)
    .set({ ...set, updatedAt: now })
    .where(eq(notificationDeliveries.id, id));
}
