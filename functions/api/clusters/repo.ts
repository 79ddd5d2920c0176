import { and, asc, eq, isNull } from 'drizzle-orm';
import { clusters, deployTargets } from '../../platform/db/schema';
import type { Db } from '../../platform/db/types';
import { type VisibleWindow, visiblePage } from '../../platform/db/visible';
import { NAMED_USERS } from '../in-use';

export type ClusterRow = typeof clusters.$inferSelect;

const live = (id: string) => and(eq(clusters.id, id), isNull(clusters.deletedAt));

/** A cluster that is not deleted: a deleted one is a 404 for its routes and for new targets. */
export async function findCluster(db: Db, id: string): Promise<ClusterRow | undefined> {
  const [row] = await db.select().from(clusters).where(live(id));
  return row;
}

/** Deleted or not: a job queued before the delete still gets the cluster's access and reports back. */
export async function findAnyCluster(db: Db, id: string): Promise<ClusterRow | undefined> {
  const [row] = await db.select().from(clusters).where(eq(clusters.id, id));
  return row;
}

/** The lock of a change a person asks for (patch, delete): a deleted cluster is a 404. */
export async function lockLiveCluster(db: Db, id: string): Promise<ClusterRow | undefined> {
  const [row] = await db.select().from(clusters).where(live(id)).for('update');
  return row;
}

/** What keeps a cluster from being deleted: the live targets on it (their releases run there). */
export async function clusterUsers(db: Db, id: string) {
  const targets = await db
    .select({ name: deployTargets.name })
    .from(deployTargets)
    .where(and(eq(deployTargets.clusterId, id), isNull(deployTargets.deletedAt)))
    .orderBy(asc(deployTargets.name))
    .limit(NAMED_USERS);
  return { targets: targets.map((t) => t.name) };
}

/** The namespaces the cluster's live targets deploy to, for its test to look for. */
export async function targetNamespaces(db: Db, id: string): Promise<string[]> {
  const rows = await db
    .selectDistinct({ ns: deployTargets.namespace })
    .from(deployTargets)
    .where(and(eq(deployTargets.clusterId, id), isNull(deployTargets.deletedAt)))
    .orderBy(asc(deployTargets.namespace))
    .limit(100);
  return rows.map((r) => r.ns).filter((n): n is string => Boolean(n));
}

/** Row lock for the rest of the transaction, taken before the audit chain's lock. */
export async function lockCluster(db: Db, id: string): Promise<ClusterRow | undefined> {
  const [row] = await db.select().from(clusters).where(eq(clusters.id, id)).for('update');
  return row;
}

export async function findClusterByName(db: Db, projectId: string, name: string) {
  const [row] = await db
    .select({ id: clusters.id })
    .from(clusters)
    .where(and(eq(clusters.projectId, projectId), eq(clusters.name, name)));
  return row;
}

/** false when the project already has a cluster of that name (a concurrent import included). */
export async function insertCluster(db: Db, row: ClusterRow): Promise<boolean> {
  const inserted = await db
    .insert(clusters)
    .values(row)
    .onConflictDoNothing({ target: [clusters.projectId, clusters.name] })
    .returning({ id: clusters.id });
  return inserted.length === 1;
}

export async function updateCluster(
  db: Db,
  id: string,
  set: Partial<
    Pick<ClusterRow, 'name' | 'runnerPoolId' | 'metadata' | 'lastTest' | 'updatedAt' | 'deletedAt'>
  >,
): Promise<void> {
  await db.update(clusters).set(set).where(eq(clusters.id, id));
}

export async function clustersUsingCredential(db: Db, credentialId: string): Promise<ClusterRow[]> {
  return db.select().from(clusters).where(eq(clusters.credentialId, credentialId)).orderBy(asc(clusters.id));
}

export async function listClusters(db: Db, w: VisibleWindow) {
  return db
    .select()
    .from(clusters)
    .where(and(isNull(clusters.deletedAt), visiblePage(clusters, w)))
    .orderBy(asc(clusters.id))
    .limit(w.limit);
}
