import { and, asc, eq } from 'drizzle-orm';
import { environments } from '../../platform/db/schema';
import type { Db } from '../../platform/db/types';
import { type VisibleWindow, visiblePage } from '../../platform/db/visible';

export type EnvironmentRow = typeof environments.$inferSelect;

export async function findEnvironment(db: Db, id: string): Promise<EnvironmentRow | undefined> {
  const [row] = await db.select().from(environments).where(eq(environments.id, id));
  return row;
}

export async function findEnvironmentByName(db: Db, projectId: string, name: string) {
  const [row] = await db
    .select()
    .from(environments)
    .where(and(eq(environments.projectId, projectId), eq(environments.name, name)));
  return row;
}

export async function insertEnvironment(db: Db, row: EnvironmentRow): Promise<void> {
  await db.insert(environments).values(row);
}

export async function updateEnvironment(
  db: Db,
  id: string,
  set: Partial<Pick<EnvironmentRow, 'name' | 'runnerPoolId'>>,
  now: Date,
): Promise<void> {
  await db
    .update(environments)
    .set({ ...set, updatedAt: now })
    .where(eq(environments.id, id));
}

export async function listEnvironments(db: Db, w: VisibleWindow) {
  return db
    .select()
    .from(environments)
    .where(visiblePage(environments, w))
    .orderBy(asc(environments.id))
    .limit(w.limit);
}
