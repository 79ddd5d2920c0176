import { and, asc, eq } from 'drizzle-orm';
import { clusters } from '../../platform/db/schema';
import type { Db } from '../../platform/db/types';
import { type VisibleWindow, visiblePage } from '../../platform/db/visible';

export type ClusterRow = typeof clusters.$inferSelect;

export async function findCluster(db: Db, id: string): Promise<ClusterRow | undefined> {
  const [row] = await db.select().from(clusters).where(eq(clusters.id, id));
  return row;
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
  set: Partial<Pick<ClusterRow, 'metadata' | 'lastTest' | 'updatedAt'>>,
): Promise<void> {
  await db.update(clusters).set(set).where(eq(clusters.id, id));
}

export async function clustersUsingCredential(db: Db, credentialId: string): Promise<ClusterRow[]> {
  return db.select().from(clusters).where(eq(clusters.credentialId, credentialId)).orderBy(asc(clusters.id));
}

export async function listClusters(db: Db, w: VisibleWindow) {
  return db.select().from(clusters).where(visiblePage(clusters, w)).orderBy(asc(clusters.id)).limit(w.limit);
}
