import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import { releases, services } from '../../platform/db/schema';
import type { Db } from '../../platform/db/types';
import { type VisibleWindow, visiblePage } from '../../platform/db/visible';
import { NAMED_USERS, RELEASE_IN_FLIGHT } from '../in-use';

export type ServiceRow = typeof services.$inferSelect;

const live = (id: string) => and(eq(services.id, id), isNull(services.deletedAt));

/** A service that is not deleted: a deleted one is a 404 for its routes and for new previews. */
export async function findService(db: Db, id: string): Promise<ServiceRow | undefined> {
  const [row] = await db.select().from(services).where(live(id));
  return row;
}

/** The row lock a change (patch, delete) holds for the rest of its transaction. */
export async function lockService(db: Db, id: string): Promise<ServiceRow | undefined> {
  const [row] = await db.select().from(services).where(live(id)).for('update');
  return row;
}

/** Releases of the service still in flight (their ids): they run its templates as they were. */
export async function unfinishedReleasesOf(db: Db, id: string): Promise<string[]> {
  const rows = await db
    .select({ id: releases.id })
    .from(releases)
    .where(and(eq(releases.serviceId, id), inArray(releases.lifecycleState, RELEASE_IN_FLIGHT)))
    .orderBy(asc(releases.id))
    .limit(NAMED_USERS);
  return rows.map((r) => r.id);
}

export async function findServiceByName(db: Db, projectId: string, name: string) {
  const [row] = await db
    .select({ id: services.id })
    .from(services)
    .where(and(eq(services.projectId, projectId), eq(services.name, name)));
  return row;
}

/** false when the project already has a service of that name (a concurrent create included). */
export async function insertService(db: Db, row: ServiceRow): Promise<boolean> {
  const inserted = await db
    .insert(services)
    .values(row)
    .onConflictDoNothing({ target: [services.projectId, services.name] })
    .returning({ id: services.id });
  return inserted.length === 1;
}

export async function updateService(
  db: Db,
  id: string,
  set: Partial<
    Pick<ServiceRow, 'name' | 'k8sManifest' | 'composeFile' | 'secretVariables' | 'description' | 'deletedAt'>
  >,
  now: Date,
): Promise<void> {
  await db
    .update(services)
    .set({ ...set, updatedAt: now })
    .where(eq(services.id, id));
}

export async function listServices(db: Db, w: VisibleWindow) {
  return db
    .select()
    .from(services)
    .where(and(isNull(services.deletedAt), visiblePage(services, w)))
    .orderBy(asc(services.id))
    .limit(w.limit);
}
