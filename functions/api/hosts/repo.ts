import { and, asc, eq } from 'drizzle-orm';
import { hosts } from '../../platform/db/schema';
import type { Db } from '../../platform/db/types';
import { type VisibleWindow, visiblePage } from '../../platform/db/visible';

export type HostRow = typeof hosts.$inferSelect;

export async function findHost(db: Db, id: string): Promise<HostRow | undefined> {
  const [row] = await db.select().from(hosts).where(eq(hosts.id, id));
  return row;
}

/** Row lock for the rest of the transaction (patch, pin, reset of one host run one at a time). */
export async function lockHost(db: Db, id: string): Promise<HostRow | undefined> {
  const [row] = await db.select().from(hosts).where(eq(hosts.id, id)).for('update');
  return row;
}

export async function findHostByName(db: Db, projectId: string, name: string) {
  const [row] = await db
    .select({ id: hosts.id })
    .from(hosts)
    .where(and(eq(hosts.projectId, projectId), eq(hosts.name, name)));
  return row;
}

/** false when the project already has a host of that name (a concurrent create included). */
export async function insertHost(db: Db, row: HostRow): Promise<boolean> {
  const inserted = await db
    .insert(hosts)
    .values(row)
    .onConflictDoNothing({ target: [hosts.projectId, hosts.name] })
    .returning({ id: hosts.id });
  return inserted.length === 1;
}

export async function updateHost(
  db: Db,
  id: string,
  set: Partial<
    Pick<
      HostRow,
      | 'name'
      | 'address'
      | 'port'
      | 'username'
      | 'credentialId'
      | 'runnerPoolId'
      | 'hostKeyFingerprint'
      | 'hostKeyPinnedAt'
      | 'lastTest'
      | 'updatedAt'
    >
  >,
): Promise<void> {
  await db.update(hosts).set(set).where(eq(hosts.id, id));
}

export async function listHosts(db: Db, w: VisibleWindow) {
  return db.select().from(hosts).where(visiblePage(hosts, w)).orderBy(asc(hosts.id)).limit(w.limit);
}
