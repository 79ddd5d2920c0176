import { and, asc, eq } from 'drizzle-orm';
import { services } from '../../platform/db/schema';
import type { Db } from '../../platform/db/types';
import { type VisibleWindow, visiblePage } from '../../platform/db/visible';

export type ServiceRow = typeof services.$inferSelect;

export async function findService(db: Db, id: string): Promise<ServiceRow | undefined> {
  const [row] = await db.select().from(services).where(eq(services.id, id));
  return row;
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
  set: Partial<Pick<ServiceRow, 'k8sManifest' | 'composeFile' | 'secretVariables' | 'description'>>,
  now: Date,
): Promise<void> {
  await db
    .update(services)
    .set({ ...set, updatedAt: now })
    .where(eq(services.id, id));
}

export async function listServices(db: Db, w: VisibleWindow) {
  return db.select().from(services).where(visiblePage(services, w)).orderBy(asc(services.id)).limit(w.limit);
}
