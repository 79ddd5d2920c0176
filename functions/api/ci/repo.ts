import { and, asc, desc, eq, gt, inArray, isNull, lt, sql } from 'drizzle-orm';
import type { BuildStatus } from '../../../shared/contracts/ci';
import { encoded, placeholders, reusable } from '../../platform/db/prepared';
import {
  ciBuilds,
  ciDeliveries,
  ciPipelines,
  ciTriggerAttempts,
  ciWebhookRefusals,
} from '../../platform/db/schema';
import type { Db } from '../../platform/db/types';
import { type PageWindow, type VisibleWindow, visiblePage } from '../../platform/db/visible';

export type PipelineRow = typeof ciPipelines.$inferSelect;
export type BuildRow = typeof ciBuilds.$inferSelect;

const livePipeline = (id: string) => and(eq(ciPipelines.id, id), isNull(ciPipelines.deletedAt));

// Every webhook delivery reads its pipeline first: built once (platform/db/prepared.ts).
const livePipelineById = reusable((db) =>
  db
    .select()
    .from(ciPipelines)
    .where(and(eq(ciPipelines.id, sql.placeholder('id')), isNull(ciPipelines.deletedAt)))
    .prepare('find_pipeline'),
);

/** A pipeline that is not deleted: a deleted one answers 404, its webhook included. */
export async function findPipeline(db: Db, id: string): Promise<PipelineRow | undefined> {
  const [row] = await livePipelineById(db, { id });
  return row;
}

export async function lockPipeline(db: Db, id: string): Promise<PipelineRow | undefined> {
  const [row] = await db.select().from(ciPipelines).where(livePipeline(id)).for('update');
  return row;
}

export async function insertPipeline(db: Db, row: PipelineRow): Promise<void> {
  await db.insert(ciPipelines).values(row);
}

export async function updatePipeline(
  db: Db,
  id: string,
  set: Partial<Omit<PipelineRow, 'id' | 'projectId' | 'serviceId' | 'provider' | 'createdAt'>>,
  now: Date,
): Promise<void> {
  await db
    .update(ciPipelines)
    .set({ ...set, updatedAt: now })
    .where(eq(ciPipelines.id, id));
}

export async function listPipelines(db: Db, w: VisibleWindow & { serviceId?: string }) {
  return db
    .select()
    .from(ciPipelines)
    .where(
      and(
        isNull(ciPipelines.deletedAt),
        visiblePage(ciPipelines, w),
        w.serviceId ? eq(ciPipelines.serviceId, w.serviceId) : undefined,
      ),
    )
    .orderBy(asc(ciPipelines.id))
    .limit(w.limit);
}

export async function findBuild(db: Db, id: string): Promise<BuildRow | undefined> {
  const [row] = await db.select().from(ciBuilds).where(eq(ciBuilds.id, id));
  return row;
}

// The statements of a webhook delivery's transaction, built once.
const buildOfCommitForUpdate = reusable((db) =>
  db
    .select()
    .from(ciBuilds)
    .where(
      and(
        eq(ciBuilds.pipelineId, sql.placeholder('pipelineId')),
        eq(ciBuilds.commitSha, sql.placeholder('commit')),
      ),
    )
    .for('update')
    .prepare('lock_build_of_commit'),
);
const buildInsert = reusable((db) =>
  db
    .insert(ciBuilds)
    .values(placeholders(ciBuilds))
    .onConflictDoNothing({ target: [ciBuilds.pipelineId, ciBuilds.commitSha] })
    .returning({ id: ciBuilds.id })
    .prepare('insert_build'),
);
const deliveryInsert = reusable((db) =>
  db
    .insert(ciDeliveries)
    .values(placeholders(ciDeliveries))
    .onConflictDoNothing({ target: [ciDeliveries.pipelineId, ciDeliveries.deliveryId] })
    .returning({ id: ciDeliveries.deliveryId })
    .prepare('take_delivery'),
);
const deliveryBuildUpdate = reusable((db) =>
  db
    .update(ciDeliveries)
    .set({ buildId: sql.placeholder('buildId') as unknown as string })
    .where(
      and(
        eq(ciDeliveries.pipelineId, sql.placeholder('pipelineId')),
        eq(ciDeliveries.deliveryId, sql.placeholder('deliveryId')),
      ),
    )
    .prepare('set_delivery_build'),
);

/** The build of a pipeline's commit, locked for the delivery that moves it. */
export async function lockBuildOfCommit(db: Db, pipelineId: string, commit: string) {
  const [row] = await buildOfCommitForUpdate(db, { pipelineId, commit });
  return row;
}

/** false when a concurrent delivery made the build of that commit first. */
export async function insertBuild(db: Db, row: BuildRow): Promise<boolean> {
  const inserted = await buildInsert(db, encoded(ciBuilds, row));
  return inserted.length === 1;
}

export async function updateBuild(
  db: Db,
  id: string,
  set: Partial<Pick<BuildRow, 'providerRunId' | 'ref' | 'runNumber' | 'status' | 'artifacts'>>,
  now: Date,
): Promise<void> {
  await db
    .update(ciBuilds)
    .set({ ...set, updatedAt: now })
    .where(eq(ciBuilds.id, id));
}

export async function listBuilds(
  db: Db,
  w: VisibleWindow & { serviceId?: string; pipelineId?: string; status?: BuildStatus },
) {
  return db
    .select()
    .from(ciBuilds)
    .where(
      and(
        visiblePage(ciBuilds, w),
        w.serviceId ? eq(ciBuilds.serviceId, w.serviceId) : undefined,
        w.pipelineId ? eq(ciBuilds.pipelineId, w.pipelineId) : undefined,
        w.status ? eq(ciBuilds.status, w.status) : undefined,
      ),
    )
    .orderBy(asc(ciBuilds.id))
    .limit(w.limit);
}

/** Builds still queued or running that started before `before`, for the timeout sweep. */
export async function lockOpenBuildsBefore(db: Db, before: Date, limit: number): Promise<BuildRow[]> {
  return db
    .select()
    .from(ciBuilds)
    .where(and(inArray(ciBuilds.status, ['queued', 'running']), lt(ciBuilds.createdAt, before)))
    .orderBy(asc(ciBuilds.createdAt))
    .limit(limit)
    .for('update', { skipLocked: true });
}

/**
 * Takes a delivery id for the pipeline; false when it was taken before (a redelivery). Taken in
 * the transaction that records what the delivery did, so a failed delivery can be sent again.
 */
export async function takeDelivery(db: Db, row: typeof ciDeliveries.$inferSelect): Promise<boolean> {
  const inserted = await deliveryInsert(db, encoded(ciDeliveries, row));
  return inserted.length === 1;
}

export async function setDeliveryBuild(db: Db, pipelineId: string, deliveryId: string, buildId: string) {
  await deliveryBuildUpdate(db, { pipelineId, deliveryId, buildId });
}

/**
 * Counts one refusal in the pipeline's minute, with its reason among the minute's reasons; answers
 * the minute's count so far, this one included.
 */
export async function countRefusal(
  db: Db,
  pipelineId: string,
  minute: Date,
  reason: string,
): Promise<number> {
  const t = ciWebhookRefusals;
  const [row] = await db
    .insert(t)
    .values({ pipelineId, minute, count: 1, reasons: [reason], auditedAt: null })
    .onConflictDoUpdate({
      target: [t.pipelineId, t.minute],
      set: {
        count: sql`${t.count} + 1`,
        reasons: sql`case when ${reason} = any(${t.reasons}) then ${t.reasons} else array_append(${t.reasons}, ${reason}::text) end`,
      },
    })
    .returning({ count: t.count });
  return row?.count ?? 1;
}

/** Minutes that are over and not audited yet, locked so two sweeps audit each once. */
export async function lockClosedRefusals(db: Db, before: Date, limit: number) {
  const t = ciWebhookRefusals;
  return db
    .select()
    .from(t)
    .where(and(isNull(t.auditedAt), lt(t.minute, before)))
    .orderBy(asc(t.minute))
    .limit(limit)
    .for('update', { skipLocked: true });
}

export async function markRefusalsAudited(db: Db, pipelineId: string, minute: Date, now: Date) {
  const t = ciWebhookRefusals;
  await db
    .update(t)
    .set({ auditedAt: now })
    .where(and(eq(t.pipelineId, pipelineId), eq(t.minute, minute)));
}

export type TriggerAttemptRow = typeof ciTriggerAttempts.$inferSelect;

export async function insertTriggerAttempt(db: Db, row: TriggerAttemptRow): Promise<void> {
  await db.insert(ciTriggerAttempts).values(row);
}

export async function finishTriggerAttempt(
  db: Db,
  id: string,
  set: Pick<TriggerAttemptRow, 'status' | 'httpStatus' | 'error' | 'finishedAt'>,
): Promise<void> {
  await db.update(ciTriggerAttempts).set(set).where(eq(ciTriggerAttempts.id, id));
}

/** A pipeline's attempts, newest first: a page's cursor is its oldest id, the next page older. */
export async function listTriggerAttempts(db: Db, pipelineId: string, w: PageWindow) {
  const t = ciTriggerAttempts;
  return db
    .select()
    .from(t)
    .where(and(eq(t.pipelineId, pipelineId), w.after === undefined ? undefined : lt(t.id, w.after)))
    .orderBy(desc(t.id))
    .limit(w.limit);
}

/** Live schedule pipelines after `afterId`, locked so two sweeps never fire the same slot. */
export async function lockSchedulePipelines(db: Db, afterId: string, limit: number): Promise<PipelineRow[]> {
  return db
    .select()
    .from(ciPipelines)
    .where(
      and(eq(ciPipelines.trigger, 'schedule'), isNull(ciPipelines.deletedAt), gt(ciPipelines.id, afterId)),
    )
    .orderBy(asc(ciPipelines.id))
    .limit(limit)
    .for('update', { skipLocked: true });
}

/** Attempts still `pending` that started before `before`: their call outlived any process. */
export async function failPendingAttemptsBefore(db: Db, before: Date, now: Date): Promise<number> {
  const t = ciTriggerAttempts;
  const rows = await db
    .update(t)
    .set({
      status: 'failed',
      error: 'the call did not finish: the process making it stopped',
      finishedAt: now,
    })
    .where(and(eq(t.status, 'pending'), lt(t.createdAt, before)))
    .returning({ id: t.id });
  return rows.length;
}
