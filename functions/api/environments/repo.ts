import { and, asc, eq, gt } from 'drizzle-orm';
import { environments } from '../../platform/db/schema';
import type { Db } from '../../platform/db/types';
import { inVisibleProjects } from '../../platform/db/visible';

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

export async function listEnvironments(
  db: Db,
  opts: { after?: string; limit: number; projectId?: string; projectIds: 'all' | string[] },
) {
  return db
    .select()
    .from(environments)
    .where(
      and(
        opts.after ? gt(environments.id, opts.after) : undefined,
        opts.projectId ? eq(environments.projectId, opts.projectId) : undefined,
        inVisibleProjects(environments.projectId, opts.projectIds),
      ),
    )
    .orderBy(asc(environments.id))
    .limit(opts.limit);
}
