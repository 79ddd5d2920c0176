import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { deployTargets, environments, installTasks, releases } from '../../platform/db/schema';
import type { Db } from '../../platform/db/types';
import { type VisibleWindow, visiblePage } from '../../platform/db/visible';

export type EnvironmentRow = typeof environments.$inferSelect;

const live = (id: string) => and(eq(environments.id, id), isNull(environments.deletedAt));

/** An environment that is not deleted; a deleted one is gone for every reader. */
export async function findEnvironment(db: Db, id: string): Promise<EnvironmentRow | undefined> {
  const [row] = await db.select().from(environments).where(live(id));
  return row;
}

/** The row lock a change (patch, delete) holds for the rest of its transaction. */
export async function lockEnvironment(db: Db, id: string): Promise<EnvironmentRow | undefined> {
  const [row] = await db.select().from(environments).where(live(id)).for('update');
  return row;
}

/** Deleted environments included: their names stay taken (the table's unique constraint). */
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
  set: Partial<Pick<EnvironmentRow, 'name' | 'runnerPoolId' | 'deletedAt'>>,
  now: Date,
): Promise<void> {
  await db
    .update(environments)
    .set({ ...set, updatedAt: now })
    .where(eq(environments.id, id));
}

/** What keeps an environment from being deleted: its live targets and its unfinished work. */
export async function environmentUsers(db: Db, id: string) {
  const [t] = await db
    .select({ n: sql<string>`count(*)` })
    .from(deployTargets)
    .where(and(eq(deployTargets.environmentId, id), isNull(deployTargets.deletedAt)));
  const [r] = await db
    .select({ n: sql<string>`count(*)` })
    .from(releases)
    .where(
      and(
        eq(releases.environmentId, id),
        inArray(releases.lifecycleState, ['pending_approval', 'approved', 'applying']),
      ),
    );
  const [i] = await db
    .select({ n: sql<string>`count(*)` })
    .from(installTasks)
    .where(
      and(
        eq(installTasks.environmentId, id),
        inArray(installTasks.status, ['queued', 'running', 'pending_approval']),
      ),
    );
  return { targets: Number(t?.n ?? 0), releases: Number(r?.n ?? 0), installTasks: Number(i?.n ?? 0) };
}

export async function listEnvironments(db: Db, w: VisibleWindow) {
  return db
    .select()
    .from(environments)
    .where(and(isNull(environments.deletedAt), visiblePage(environments, w)))
    .orderBy(asc(environments.id))
    .limit(w.limit);
}
