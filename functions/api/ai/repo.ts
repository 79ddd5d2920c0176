import { and, desc, eq, lt } from 'drizzle-orm';
import { aiCommands } from '../../platform/db/schema';
import type { Db } from '../../platform/db/types';

export type CommandRow = typeof aiCommands.$inferSelect;

export async function insertCommand(db: Db, row: CommandRow): Promise<void> {
  await db.insert(aiCommands).values(row);
}

export async function findCommand(db: Db, id: string): Promise<CommandRow | undefined> {
  const [row] = await db.select().from(aiCommands).where(eq(aiCommands.id, id));
  return row;
}

/** Moves a command only from the status it was read in: a second answer or confirm finds none. */
export async function moveCommand(
  db: Db,
  id: string,
  from: CommandRow['status'],
  set: Partial<Omit<CommandRow, 'id' | 'createdBy' | 'createdAt'>>,
): Promise<boolean> {
  const rows = await db
    .update(aiCommands)
    .set(set)
    .where(and(eq(aiCommands.id, id), eq(aiCommands.status, from)))
    .returning({ id: aiCommands.id });
  return rows.length === 1;
}

/** The caller's own commands, newest first. */
export async function listCommands(
  db: Db,
  q: { userId: string; projectId?: string; after?: string; limit: number },
): Promise<CommandRow[]> {
  return db
    .select()
    .from(aiCommands)
    .where(
      and(
        eq(aiCommands.createdBy, q.userId),
        q.projectId ? eq(aiCommands.projectId, q.projectId) : undefined,
        q.after ? lt(aiCommands.id, q.after) : undefined,
      ),
    )
    .orderBy(desc(aiCommands.id))
    .limit(q.limit);
}
