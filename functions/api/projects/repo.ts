import { asc, eq } from 'drizzle-orm';
import { projects } from '../../platform/db/schema';
import type { Db } from '../../platform/db/types';
import { type VisibleWindow, visiblePage } from '../../platform/db/visible';

export type ProjectRow = typeof projects.$inferSelect;

export async function findProject(db: Db, id: string): Promise<ProjectRow | undefined> {
  const [row] = await db.select().from(projects).where(eq(projects.id, id));
  return row;
}

export async function findProjectByName(db: Db, name: string): Promise<ProjectRow | undefined> {
  const [row] = await db.select().from(projects).where(eq(projects.name, name));
  return row;
}

export async function insertProject(db: Db, row: ProjectRow): Promise<void> {
  await db.insert(projects).values(row);
}

/** A project's own id is its project: the caller sees the projects where it holds `project:read`. */
export async function listProjects(db: Db, w: Omit<VisibleWindow, 'projectId'>) {
  return db
    .select()
    .from(projects)
    .where(visiblePage({ id: projects.id, projectId: projects.id }, w))
    .orderBy(asc(projects.id))
    .limit(w.limit);
}
