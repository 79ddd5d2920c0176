import { and, asc, eq, exists, gt, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { TargetHealth } from '../../../shared/jobs/target-status';
import {
  deployTargets,
  environments,
  jobs,
  releases,
  runners,
  targetStatuses,
} from '../../platform/db/schema';
import type { Db } from '../../platform/db/types';
import { inVisibleProjects, type VisibleWindow } from '../../platform/db/visible';

export type StatusRow = typeof targetStatuses.$inferSelect;

export async function findStatus(db: Db, targetId: string): Promise<StatusRow | undefined> {
  const [row] = await db.select().from(targetStatuses).where(eq(targetStatuses.targetId, targetId));
  return row;
}

/**
 * Keeps the newest observation. `observed_at` is when the report arrived; one stamped earlier than
 * the stored one (by an instance whose clock lags) does not replace it.
 */
export async function saveStatus(db: Db, row: StatusRow): Promise<void> {
  const { targetId: _, ...set } = row;
  await db
    .insert(targetStatuses)
    .values(row)
    .onConflictDoUpdate({
      target: targetStatuses.targetId,
      set,
      setWhere: sql`${targetStatuses.observedAt} <= excluded.observed_at`,
    });
}

/** A status job of the target (an id, or the outer query's target) that has not ended. */
const openStatusJob = (targetId: string | typeof deployTargets.id) =>
  and(
    eq(jobs.kind, 'target_status'),
    eq(jobs.resourceType, 'target'),
    eq(jobs.resourceId, targetId),
    inArray(jobs.status, ['queued', 'running']),
  );

/** The target's status job that is queued or running, if one is. */
export async function findOpenStatusJob(db: Db, targetId: string) {
  const [row] = await db.select().from(jobs).where(openStatusJob(targetId)).orderBy(asc(jobs.id)).limit(1);
  return row;
}

/**
 * Live targets whose newest status is older than `staleBefore` (or missing), whose environment's
 * pool has a runner seen after `onlineSince`, and that have no status job queued or running.
 */
export async function staleTargets(db: Db, o: { staleBefore: Date; onlineSince: Date; limit: number }) {
  return db
    .select({
      id: deployTargets.id,
      projectId: deployTargets.projectId,
      environmentId: deployTargets.environmentId,
      runnerPoolId: environments.runnerPoolId,
    })
    .from(deployTargets)
    .innerJoin(environments, eq(environments.id, deployTargets.environmentId))
    .leftJoin(targetStatuses, eq(targetStatuses.targetId, deployTargets.id))
    .where(
      and(
        isNull(deployTargets.deletedAt),
        isNull(environments.deletedAt),
        or(isNull(targetStatuses.observedAt), lt(targetStatuses.observedAt, o.staleBefore)),
        exists(
          db
            .select({ one: sql`1` })
            .from(runners)
            .where(
              and(
                eq(runners.runnerPoolId, environments.runnerPoolId),
                isNull(runners.revokedAt),
                gt(runners.lastSeenAt, o.onlineSince),
              ),
            ),
        ),
        sql`not exists (${db.select({ one: sql`1` }).from(jobs).where(openStatusJob(deployTargets.id))})`,
      ),
    )
    .orderBy(asc(targetStatuses.observedAt), asc(deployTargets.id))
    .limit(o.limit);
}

export type StatusFilter = VisibleWindow & {
  environmentId?: string;
  runtimeType?: 'k8s' | 'compose';
  serviceId?: string;
};

export type TargetStatusListRow = {
  id: string;
  projectId: string;
  environmentId: string;
  name: string;
  runtimeType: 'k8s' | 'compose';
  state: TargetHealth | null;
  observedAt: Date | null;
};

/** One page of live targets in id order with their newest status (none yet: nulls). */
export async function listTargetStatuses(db: Db, f: StatusFilter): Promise<TargetStatusListRow[]> {
  return db
    .select({
      id: deployTargets.id,
      projectId: deployTargets.projectId,
      environmentId: deployTargets.environmentId,
      name: deployTargets.name,
      runtimeType: deployTargets.runtimeType,
      state: targetStatuses.state,
      observedAt: targetStatuses.observedAt,
    })
    .from(deployTargets)
    .leftJoin(targetStatuses, eq(targetStatuses.targetId, deployTargets.id))
    .leftJoin(releases, eq(releases.id, deployTargets.appliedReleaseId))
    .where(
      and(
        isNull(deployTargets.deletedAt),
        f.after ? gt(deployTargets.id, f.after) : undefined,
        f.projectId ? eq(deployTargets.projectId, f.projectId) : undefined,
        inVisibleProjects(deployTargets.projectId, f.projects),
        f.environmentId ? eq(deployTargets.environmentId, f.environmentId) : undefined,
        f.runtimeType ? eq(deployTargets.runtimeType, f.runtimeType) : undefined,
        // A target runs a service through its applied release.
        f.serviceId ? eq(releases.serviceId, f.serviceId) : undefined,
      ),
    )
    .orderBy(asc(deployTargets.id))
    .limit(f.limit);
}
