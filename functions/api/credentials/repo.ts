import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import { ciPipelines, clusters, credentialRevealTickets, credentials, hosts } from '../../platform/db/schema';
import type { Db } from '../../platform/db/types';
import { type VisibleWindow, visiblePage } from '../../platform/db/visible';

export type CredentialRow = typeof credentials.$inferSelect;

const live = (id: string) => and(eq(credentials.id, id), isNull(credentials.deletedAt));

/** A credential that is not deleted; deleted ones are gone for every reader. */
export async function findCredential(db: Db, id: string): Promise<CredentialRow | undefined> {
  const [row] = await db.select().from(credentials).where(live(id));
  return row;
}

/**
 * Row locks for the rest of the transaction. `update`: a change of the credential (rotate, delete).
 * `share`: a host or cluster about to reference it, so a concurrent delete waits for the reference
 * and then sees it (and a reference made after a delete sees the delete).
 */
export async function lockCredential(
  db: Db,
  id: string,
  strength: 'update' | 'share',
): Promise<CredentialRow | undefined> {
  const [row] = await db.select().from(credentials).where(live(id)).for(strength);
  return row;
}

export async function findCredentialByName(db: Db, projectId: string, name: string) {
  const [row] = await db
    .select({ id: credentials.id })
    .from(credentials)
    .where(
      and(eq(credentials.projectId, projectId), eq(credentials.name, name), isNull(credentials.deletedAt)),
    );
  return row;
}

/** false when a live credential of the project has that name (a concurrent create included). */
export async function insertCredential(db: Db, row: CredentialRow): Promise<boolean> {
  const inserted = await db
    .insert(credentials)
    .values(row)
    .onConflictDoNothing()
    .returning({ id: credentials.id });
  return inserted.length === 1;
}

export async function updateCredential(
  db: Db,
  id: string,
  set: Partial<Pick<CredentialRow, 'envelope' | 'metadata' | 'updatedAt' | 'deletedAt'>>,
): Promise<void> {
  await db.update(credentials).set(set).where(eq(credentials.id, id));
}

/** Records which version of the credential a reveal ticket was asked for. */
export async function bindRevealTicket(
  db: Db,
  row: typeof credentialRevealTickets.$inferInsert,
): Promise<void> {
  await db.insert(credentialRevealTickets).values(row);
}

/** The version a reveal ticket was asked for; undefined for a ticket that was never bound. */
export async function revealTicketVersion(db: Db, ticketId: string): Promise<string | undefined> {
  const [row] = await db
    .select({ v: credentialRevealTickets.dataKeySha256 })
    .from(credentialRevealTickets)
    .where(eq(credentialRevealTickets.ticketId, ticketId));
  return row?.v;
}

/** How many live hosts, clusters and CI pipelines reference the credential (a deleted one uses it no more). */
export async function credentialUsers(
  db: Db,
  id: string,
): Promise<{ hosts: number; clusters: number; pipelines: number }> {
  const [h] = await db
    .select({ n: sql<string>`count(*)` })
    .from(hosts)
    .where(and(eq(hosts.credentialId, id), isNull(hosts.deletedAt)));
  const [c] = await db
    .select({ n: sql<string>`count(*)` })
    .from(clusters)
    .where(and(eq(clusters.credentialId, id), isNull(clusters.deletedAt)));
  const [p] = await db
    .select({ n: sql<string>`count(*)` })
    .from(ciPipelines)
    .where(and(eq(ciPipelines.providerCredentialId, id), isNull(ciPipelines.deletedAt)));
  return { hosts: Number(h?.n ?? 0), clusters: Number(c?.n ?? 0), pipelines: Number(p?.n ?? 0) };
}

export async function listCredentials(db: Db, w: VisibleWindow & { kind?: CredentialRow['kind'] }) {
  return db
    .select()
    .from(credentials)
    .where(
      and(
        isNull(credentials.deletedAt),
        visiblePage(credentials, w),
        w.kind ? eq(credentials.kind, w.kind) : undefined,
      ),
    )
    .orderBy(asc(credentials.id))
    .limit(w.limit);
}
