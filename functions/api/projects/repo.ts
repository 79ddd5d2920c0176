import { and, asc, eq, gt, inArray, sql } from 'drizzle-orm';
import { projects } from '../../platform/db/schema';
import type { Db } from '../../platform/db/types';

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
      and(
        opts.after ? gt(projects.id, opts.after) : undefined,
        opts.ids === 'all' ? undefined : opts.ids.length ? inArray(projects.id, opts.ids) : sql`false`,
      ),
    )
    .orderBy(asc(projects.id))
    .limit(opts.limit);
}
