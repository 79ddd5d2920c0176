import { and, asc, eq, gt } from 'drizzle-orm';
import { projects } from '../../platform/db/schema';
import type { Db } from '../../platform/db/types';
import { inVisibleProjects } from '../../platform/db/visible';

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

export async function listProjects(db: Db, opts: { after?: string; limit: number; ids: 'all' | string[] }) {
  return db
    .select()
    .from(projects)
    .where(
      and(opts.after ? gt(projects.id, opts.after) : undefined, inVisibleProjects(projects.id, opts.ids)),
    )
    .orderBy(asc(projects.id))
    .limit(opts.limit);
}
