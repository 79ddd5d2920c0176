import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { environments, installTasks, projects, releases } from '../../platform/db/schema';
import type { Db } from '../../platform/db/types';
import { type VisibleWindow, visiblePage } from '../../platform/db/visible';

export type ProjectRow = typeof projects.$inferSelect;

const live = (id: string) => and(eq(projects.id, id), isNull(projects.deletedAt));

/** A project that is not deleted; a deleted one is gone for every reader. */
export async function findProject(db: Db, id: string): Promise<ProjectRow | undefined> {
  const [row] = await db.select().from(projects).where(live(id));
  return row;
}

/** The row lock a change (rename, delete) holds for the rest of its transaction. */
export async function lockProject(db: Db, id: string): Promise<ProjectRow | undefined> {
  const [row] = await db.select().from(projects).where(live(id)).for('update');
  return row;
}

/** Deleted projects included: their names stay taken (the table's unique constraint). */
export async function findProjectByName(db: Db, name: string): Promise<ProjectRow | undefined> {
  const [row] = await db.select().from(projects).where(eq(projects.name, name));
  return row;
}

export async function insertProject(db: Db, row: ProjectRow): Promise<void> {
  await db.insert(projects).values(row);
}

export async function updateProject(
  db: Db,
  id: string,
  set: Partial<Pick<ProjectRow, 'name' | 'deletedAt'>>,
): Promise<void> {
  await db.update(projects).set(set).where(eq(projects.id, id));
}

/** What keeps a project from being deleted: its live environments and its unfinished work. */
export async function projectUsers(db: Db, id: string) {
  const [e] = await db
    .select({ n: sql<string>`count(*)` })
    .from(environments)
    .where(and(eq(environments.projectId, id), isNull(environments.deletedAt)));
  const [r] = await db
    .select({ n: sql<string>`count(*)` })
    .from(releases)
    .where(
      and(
        eq(releases.projectId, id),
        inArray(releases.lifecycleState, ['pending_approval', 'approved', 'applying']),
      ),
    );
  const [t] = await db
    .select({ n: sql<string>`count(*)` })
    .from(installTasks)
    .where(
      and(
        eq(installTasks.projectId, id),
        inArray(installTasks.status, ['queued', 'running', 'pending_approval']),
      ),
    );
  return { environments: Number(e?.n ?? 0), releases: Number(r?.n ?? 0), installTasks: Number(t?.n ?? 0) };
}

/** A project's own id is its project: the caller sees the projects where it holds `project:read`. */
export async function listProjects(db: Db, w: Omit<VisibleWindow, 'projectId'>) {
  return db
    .select()
    .from(projects)
    .where(and(isNull(projects.deletedAt), visiblePage({ id: projects.id, projectId: projects.id }, w)))
    .orderBy(asc(projects.id))
    .limit(w.limit);
}
