import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { BuildDeployment } from '../../../shared/contracts/ci';
import { encoded, placeholders, reusable } from '../../platform/db/prepared';
import { cdPolicies, cdWork, ciBuilds, releases } from '../../platform/db/schema';
import type { Db } from '../../platform/db/types';
import { newId } from '../../platform/ids';

export type CdPolicyRow = typeof cdPolicies.$inferSelect;
export type CdWorkRow = typeof cdWork.$inferSelect;

export async function findCdPolicy(db: Db, serviceId: string, environmentId: string) {
  const [row] = await db
    .select()
    .from(cdPolicies)
    .where(and(eq(cdPolicies.serviceId, serviceId), eq(cdPolicies.environmentId, environmentId)));
  return row;
}

export async function listCdPolicies(db: Db, serviceId: string): Promise<CdPolicyRow[]> {
  return db
    .select()
    .from(cdPolicies)
    .where(eq(cdPolicies.serviceId, serviceId))
    .orderBy(asc(cdPolicies.environmentId));
}

export async function upsertCdPolicy(db: Db, row: CdPolicyRow): Promise<void> {
  const { serviceId, environmentId, createdAt, ...set } = row;
  await db
    .insert(cdPolicies)
    .values(row)
    .onConflictDoUpdate({ target: [cdPolicies.serviceId, cdPolicies.environmentId], set });
}

/** Owes the work once: a second ask for the same build or release changes nothing. */
// Inside every delivery that succeeds a build: built once (platform/db/prepared.ts).
const workInsert = reusable((db) =>
  db
    .insert(cdWork)
    .values(placeholders(cdWork))
    .onConflictDoNothing({ target: [cdWork.kind, cdWork.subjectId] })
    .prepare('owe_work'),
);

export async function oweWork(db: Db, kind: CdWorkRow['kind'], subjectId: string, now: Date) {
  const row: CdWorkRow = { id: newId('cdw'), kind, subjectId, createdAt: now, doneAt: null };
  await workInsert(db, encoded(cdWork, row));
}

/**
 * Takes open work, marking it done before it runs: at most once, so a crash mid-way leaves a
 * build half-deployed (its entries say how far) rather than deployed twice.
 */
export async function takeWork(db: Db, limit: number, now: Date): Promise<CdWorkRow[]> {
  return db.transaction(async (tx) => {
    const open = await tx
      .select()
      .from(cdWork)
      .where(isNull(cdWork.doneAt))
      .orderBy(asc(cdWork.createdAt))
      .limit(limit)
      .for('update', { skipLocked: true });
    if (open.length === 0) return [];
    await tx
      .update(cdWork)
      .set({ doneAt: now })
      .where(
        inArray(
          cdWork.id,
          open.map((w) => w.id),
        ),
      );
    return open;
  });
}

export async function setBuildDeployments(db: Db, buildId: string, deployments: BuildDeployment[]) {
  await db.update(ciBuilds).set({ deployments }).where(eq(ciBuilds.id, buildId));
}

/** Appends entries (an automatic rollback adds to the build its failed release came from). */
export async function appendBuildDeployments(db: Db, buildId: string, more: BuildDeployment[]) {
  await db
    .update(ciBuilds)
    .set({ deployments: sql`${ciBuilds.deployments} || ${JSON.stringify(more)}::jsonb` })
    .where(eq(ciBuilds.id, buildId));
}

/** The current state of the releases a build's entries name, to follow each outcome to its end. */
export async function releaseStates(db: Db, ids: string[]) {
  if (ids.length === 0) return new Map<string, { state: string; runtime: 'k8s' | 'compose' }>();
  const rows = await db
    .select({ id: releases.id, state: releases.lifecycleState, runtime: releases.runtimeType })
    .from(releases)
    .where(inArray(releases.id, ids));
  return new Map(rows.map((r) => [r.id, { state: r.state as string, runtime: r.runtime }]));
}
