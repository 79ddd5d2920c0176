import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { deployTargets, hosts, installTasks } from '../../platform/db/schema';
import type { Db } from '../../platform/db/types';
import { type VisibleWindow, visiblePage } from '../../platform/db/visible';
import { INSTALL_UNFINISHED, NAMED_USERS } from '../in-use';

export type HostRow = typeof hosts.$inferSelect;

const live = (id: string) => and(eq(hosts.id, id), isNull(hosts.deletedAt));

/** A host that is not deleted: a deleted one is a 404 for its routes and for new targets. */
export async function findHost(db: Db, id: string): Promise<HostRow | undefined> {
  const [row] = await db.select().from(hosts).where(live(id));
  return row;
}

/** Deleted or not: a job queued before the delete still gets the host's access. */
export async function findAnyHost(db: Db, id: string): Promise<HostRow | undefined> {
  const [row] = await db.select().from(hosts).where(eq(hosts.id, id));
  return row;
}

/**
 * Row lock for the rest of the transaction (patch, pin, reset of one host run one at a time).
 * Deleted rows too: a runner's report about a job from before the delete still lands.
 */
export async function lockHost(db: Db, id: string): Promise<HostRow | undefined> {
  const [row] = await db.select().from(hosts).where(eq(hosts.id, id)).for('update');
  return row;
}

/** The lock of a change a person asks for: a deleted host is a 404. */
export async function lockLiveHost(db: Db, id: string): Promise<HostRow | undefined> {
  const [row] = await db.select().from(hosts).where(live(id)).for('update');
  return row;
}

/** What keeps a host from being deleted: the live targets that name it, unfinished install tasks on it. */
export async function hostUsers(db: Db, id: string) {
  const named = sql`${id} = any(${deployTargets.hostIds})`;
  const targets = await db
    .select({ name: deployTargets.name })
    .from(deployTargets)
    .where(and(named, isNull(deployTargets.deletedAt)))
    .orderBy(asc(deployTargets.name))
    .limit(NAMED_USERS);
  const tasks = await db
    .select({ id: installTasks.id })
    .from(installTasks)
    .where(and(sql`${id} = any(${installTasks.hostIds})`, inArray(installTasks.status, INSTALL_UNFINISHED)))
    .orderBy(asc(installTasks.id))
    .limit(NAMED_USERS);
  return {
    targets: targets.map((t) => t.name),
    installTasks: tasks.map((t) => t.id),
    jumpUsers: await jumpUsers(db, id),
  };
}

/** The live hosts the runner reaches through this one. */
export async function jumpUsers(db: Db, id: string): Promise<string[]> {
  const rows = await db
    .select({ name: hosts.name })
    .from(hosts)
    .where(and(eq(hosts.jumpHostId, id), isNull(hosts.deletedAt)))
    .orderBy(asc(hosts.name))
    .limit(NAMED_USERS);
  return rows.map((r) => r.name);
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
      | 'jumpHostId'
      | 'compose'
      | 'updatedAt'
      | 'deletedAt'
    >
  >,
): Promise<void> {
  await db.update(hosts).set(set).where(eq(hosts.id, id));
}

export async function listHosts(db: Db, w: VisibleWindow) {
  return db
    .select()
    .from(hosts)
    .where(and(isNull(hosts.deletedAt), visiblePage(hosts, w)))
    .orderBy(asc(hosts.id))
    .limit(w.limit);
}
