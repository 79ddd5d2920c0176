import {
  and,
  arrayContains,
  arrayOverlaps,
  asc,
  desc,
  eq,
  gt,
  inArray,
  isNull,
  lt,
  ne,
  sql,
} from 'drizzle-orm';
import {
  auditEvents,
  environments,
  hosts,
  installFingerprints,
  installTasks,
  jobSteps,
  jobs,
} from '../../platform/db/schema';
import type { Db } from '../../platform/db/types';

export type InstallTaskRow = typeof installTasks.$inferSelect;
export type TaskStatus = InstallTaskRow['status'];

export async function insertTask(db: Db, row: InstallTaskRow): Promise<void> {
  await db.insert(installTasks).values(row);
}

export async function findTask(db: Db, id: string): Promise<InstallTaskRow | undefined> {
  const [row] = await db.select().from(installTasks).where(eq(installTasks.id, id));
  return row;
}

export async function lockTask(db: Db, id: string): Promise<InstallTaskRow | undefined> {
  const [row] = await db.select().from(installTasks).where(eq(installTasks.id, id)).for('update');
  return row;
}

/** Moves a task out of one of `from`; false: it moved meanwhile. */
export async function moveTask(
  db: Db,
  id: string,
  from: TaskStatus[],
  set: Partial<InstallTaskRow>,
): Promise<boolean> {
  const rows = await db
    .update(installTasks)
    .set(set)
    .where(and(eq(installTasks.id, id), inArray(installTasks.status, from)))
    .returning({ id: installTasks.id });
  return rows.length === 1;
}

/** Tasks of the environment that hold one of `hostIds` while queued or running. */
export async function activeTasksOnHosts(
  db: Db,
  environmentId: string,
  hostIds: string[],
  exceptId?: string,
) {
  return db
    .select({ id: installTasks.id, hostIds: installTasks.hostIds, status: installTasks.status })
    .from(installTasks)
    .where(
      and(
        eq(installTasks.environmentId, environmentId),
        inArray(installTasks.status, ['queued', 'running']),
        arrayOverlaps(installTasks.hostIds, hostIds),
        exceptId ? ne(installTasks.id, exceptId) : undefined,
      ),
    );
}

/** The newest succeeded install of the environment covering every one of `hostIds`. */
export async function newestInstallCovering(db: Db, environmentId: string, hostIds: string[]) {
  const [row] = await db
    .select()
    .from(installTasks)
    .where(
      and(
        eq(installTasks.environmentId, environmentId),
        eq(installTasks.action, 'install'),
        eq(installTasks.status, 'succeeded'),
        arrayContains(installTasks.hostIds, hostIds),
      ),
    )
    .orderBy(desc(installTasks.id))
    .limit(1);
  return row;
}

export async function listTasks(db: Db, environmentId: string, before: string | undefined, limit: number) {
  return db
    .select()
    .from(installTasks)
    .where(
      and(eq(installTasks.environmentId, environmentId), before ? lt(installTasks.id, before) : undefined),
    )
    .orderBy(desc(installTasks.id))
    .limit(limit);
}

/** Every step of every job of the task, in the order they were recorded. */
export async function stepsOfTask(db: Db, taskId: string, after?: string, limit?: number) {
  const q = db
    .select({ step: jobSteps, jobCreatedAt: jobs.createdAt })
    .from(jobSteps)
    .innerJoin(jobs, eq(jobs.id, jobSteps.jobId))
    .where(
      and(
        eq(jobs.resourceType, 'install_task'),
        eq(jobs.resourceId, taskId),
        after ? gt(jobSteps.id, after) : undefined,
      ),
    )
    .orderBy(asc(jobSteps.id));
  const rows = limit ? await q.limit(limit) : await q;
  return rows.map((r) => r.step);
}

/**
 * The task's step runs recorded or changed after the event `afterSeq`, each once with the seq of
 * its newest change in the window, in that order. Every step report writes a
 * `job.step_recorded` event, so the events say which runs moved; the rows say where they are now.
 */
export async function stepsChangedAfter(db: Db, taskId: string, afterSeq: number, limit: number) {
  const events = await db
    .select({ seq: auditEvents.seq, detail: auditEvents.detail })
    .from(auditEvents)
    .where(
      and(
        eq(auditEvents.resourceType, 'install_task'),
        eq(auditEvents.resourceId, taskId),
        eq(auditEvents.action, 'job.step_recorded'),
        gt(auditEvents.seq, afterSeq),
      ),
    )
    .orderBy(asc(auditEvents.seq))
    .limit(limit);
  const key = (jobId: unknown, name: unknown, attempt: unknown) => `${jobId}\u0000${name}\u0000${attempt}`;
  const newest = new Map<string, number>();
  for (const e of events) newest.set(key(e.detail.job_id, e.detail.step, e.detail.attempt), e.seq);
  const jobIds = [...new Set(events.map((e) => String(e.detail.job_id)))];
  if (jobIds.length === 0) return [];
  const rows = await db.select().from(jobSteps).where(inArray(jobSteps.jobId, jobIds));
  return rows
    .flatMap((step) => {
      const seq = newest.get(key(step.jobId, step.name, step.attempt));
      return seq === undefined ? [] : [{ step, seq }];
    })
    .sort((a, b) => a.seq - b.seq);
}

/** Serialises the task requests of one environment, so two cannot both find a host free. */
export async function lockEnvironment(db: Db, id: string) {
  const [row] = await db.select().from(environments).where(eq(environments.id, id)).for('update');
  return row;
}

/** A rollback of `taskId` that has not ended yet. */
export async function openRollbackOf(db: Db, taskId: string) {
  const [row] = await db
    .select({ id: installTasks.id })
    .from(installTasks)
    .where(
      and(
        eq(installTasks.rollbackOf, taskId),
        inArray(installTasks.status, ['pending_approval', 'queued', 'running']),
      ),
    )
    .limit(1);
  return row;
}

export async function setRegistered(db: Db, id: string, registered: Record<string, unknown>) {
  await db.update(installTasks).set({ registered }).where(eq(installTasks.id, id));
}

export type FingerprintRow = typeof installFingerprints.$inferSelect;

/** An install's outcome on a host replaces what an earlier one recorded there. */
export async function upsertFingerprint(db: Db, row: FingerprintRow) {
  const { environmentId: _e, hostId: _h, ...set } = row;
  await db
    .insert(installFingerprints)
    .values(row)
    .onConflictDoUpdate({ target: [installFingerprints.environmentId, installFingerprints.hostId], set });
}

export async function deleteFingerprints(db: Db, environmentId: string, hostIds: string[]) {
  if (!hostIds.length) return;
  await db
    .delete(installFingerprints)
    .where(
      and(eq(installFingerprints.environmentId, environmentId), inArray(installFingerprints.hostId, hostIds)),
    );
}

/** The environment's fingerprints on hosts that still exist, by host id. */
export async function fingerprintsOf(db: Db, environmentId: string): Promise<FingerprintRow[]> {
  const rows = await db
    .select({ f: installFingerprints })
    .from(installFingerprints)
    .innerJoin(hosts, eq(hosts.id, installFingerprints.hostId))
    .where(and(eq(installFingerprints.environmentId, environmentId), isNull(hosts.deletedAt)))
    .orderBy(asc(installFingerprints.hostId));
  return rows.map((r) => r.f);
}

/** Succeeded installs of this runtime and version in the environment: what an uninstall may undo. */
export async function succeededInstallsOf(db: Db, environmentId: string, runtime: string, version: string) {
  return db
    .select()
    .from(installTasks)
    .where(
      and(
        eq(installTasks.environmentId, environmentId),
        eq(installTasks.action, 'install'),
        eq(installTasks.status, 'succeeded'),
        eq(installTasks.runtime, runtime as InstallTaskRow['runtime']),
        eq(installTasks.version, version),
      ),
    )
    .orderBy(asc(installTasks.id));
}

/** The succeeded install that registered a cluster: where its control plane is. */
export async function installOfCluster(db: Db, clusterId: string) {
  const [row] = await db
    .select()
    .from(installTasks)
    .where(
      and(
        eq(installTasks.action, 'install'),
        eq(installTasks.status, 'succeeded'),
        sql`${installTasks.registered}->>'cluster_id' = ${clusterId}`,
      ),
    )
    .orderBy(desc(installTasks.id))
    .limit(1);
  return row;
}
