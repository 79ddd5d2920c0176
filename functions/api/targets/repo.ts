import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { clusters, deployTargets, hosts, releases } from '../../platform/db/schema';
import type { Db } from '../../platform/db/types';
import { type VisibleWindow, visiblePage } from '../../platform/db/visible';

export type TargetRow = typeof deployTargets.$inferSelect;

const live = (id: string) => and(eq(deployTargets.id, id), isNull(deployTargets.deletedAt));

/** A target that is not deleted: a deleted one is a 404 for its routes and for new previews. */
export async function findTarget(db: Db, id: string): Promise<TargetRow | undefined> {
  const [row] = await db.select().from(deployTargets).where(live(id));
  return row;
}

/** The row lock a change (patch, delete) holds; an apply takes the same lock first. */
export async function lockLiveTarget(db: Db, id: string): Promise<TargetRow | undefined> {
  const [row] = await db.select().from(deployTargets).where(live(id)).for('update');
  return row;
}

export async function updateTarget(
  db: Db,
  id: string,
  set: Partial<
    Pick<
      TargetRow,
      'name' | 'clusterId' | 'namespace' | 'hostIds' | 'composeProject' | 'deletedAt' | 'updatedAt'
    >
  >,
): Promise<void> {
  await db.update(deployTargets).set(set).where(eq(deployTargets.id, id));
}

/** Releases on the target that are not finished: they would run against what it points at. */
export async function unfinishedReleasesOn(db: Db, id: string): Promise<number> {
  const [r] = await db
    .select({ n: sql<string>`count(*)` })
    .from(releases)
    .where(
      and(
        eq(releases.targetId, id),
        inArray(releases.lifecycleState, ['pending_approval', 'approved', 'applying']),
      ),
    );
  return Number(r?.n ?? 0);
}

export async function findTargetByName(db: Db, projectId: string, name: string) {
  const [row] = await db
    .select({ id: deployTargets.id })
    .from(deployTargets)
    .where(and(eq(deployTargets.projectId, projectId), eq(deployTargets.name, name)));
  return row;
}

/** false when the project already has a target of that name (a concurrent create included). */
export async function insertTarget(db: Db, row: TargetRow): Promise<boolean> {
  const inserted = await db
    .insert(deployTargets)
    .values(row)
    .onConflictDoNothing({ target: [deployTargets.projectId, deployTargets.name] })
    .returning({ id: deployTargets.id });
  return inserted.length === 1;
}

export async function listTargets(
  db: Db,
  w: VisibleWindow & { environmentId?: string; runtimeType?: TargetRow['runtimeType'] },
) {
  return db
    .select()
    .from(deployTargets)
    .where(
      and(
        isNull(deployTargets.deletedAt),
        visiblePage(deployTargets, w),
        w.environmentId ? eq(deployTargets.environmentId, w.environmentId) : undefined,
        w.runtimeType ? eq(deployTargets.runtimeType, w.runtimeType) : undefined,
      ),
    )
    .orderBy(asc(deployTargets.id))
    .limit(w.limit);
}

/** The project a cluster belongs to, or undefined when there is no such cluster. */
/**
 * A live cluster's project. The row is share-locked until the transaction ends, so a concurrent
 * delete of the cluster waits and then sees the target that names it.
 */
export async function clusterProject(db: Db, id: string): Promise<string | undefined> {
  const [row] = await db
    .select({ projectId: clusters.projectId })
    .from(clusters)
    .where(and(eq(clusters.id, id), isNull(clusters.deletedAt)))
    .for('share');
  return row?.projectId;
}

/** The ids among `ids` that name live hosts of `projectId` (share-locked, as `clusterProject`). */
export async function hostsOfProject(db: Db, projectId: string, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .select({ id: hosts.id })
    .from(hosts)
    .where(and(eq(hosts.projectId, projectId), inArray(hosts.id, ids), isNull(hosts.deletedAt)))
    .for('share');
  return new Set(rows.map((r) => r.id));
}
