import { asc, eq, gt, sql } from 'drizzle-orm';
import { users } from '../../platform/db/schema';
import type { Db } from '../../platform/db/types';

export type UserRow = typeof users.$inferSelect;

export async function findUserById(db: Db, id: string): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(eq(users.id, id));
  return row;
}

export async function findUserByUsername(db: Db, username: string): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(eq(users.username, username));
  return row;
}

export async function countUsers(db: Db): Promise<number> {
  const rows = await db.select({ id: users.id }).from(users).limit(1);
  return rows.length;
}

export async function insertUser(db: Db, row: typeof users.$inferInsert): Promise<void> {
  await db.insert(users).values(row);
}

/** `endTokens`: advance the token epoch in the same statement, so every earlier token stops working. */
export async function updateUser(
  db: Db,
  id: string,
  set: Partial<Pick<UserRow, 'disabled' | 'passwordHash'>>,
  now: Date,
  opts: { endTokens?: boolean } = {},
) {
  await db
    .update(users)
    .set({ ...set, updatedAt: now, ...(opts.endTokens ? { tokenEpoch: sql`${users.tokenEpoch} + 1` } : {}) })
    .where(eq(users.id, id));
}

export async function listUsers(db: Db, opts: { after?: string; limit: number }): Promise<UserRow[]> {
  return db
    .select()
    .from(users)
    .where(opts.after ? gt(users.id, opts.after) : undefined)
    .orderBy(asc(users.id))
    .limit(opts.limit);
}
