import {
  and,
  asc,
  desc,
  eq,
  fillPlaceholders,
  getTableColumns,
  gt,
  inArray,
  isNotNull,
  isNull,
  lt,
  lte,
  or,
  type SQL,
  sql,
} from 'drizzle-orm';
import type { LifecycleState } from '../../../shared/releases';
import { preparedPerDb } from '../../platform/db/prepared';
import { approvalTickets, auditEvents, deployTargets, releases } from '../../platform/db/schema';
import type { StoredEnvelope } from '../../platform/db/schema/credentials';
import type { Db } from '../../platform/db/types';
import { inVisibleProjects } from '../../platform/db/visible';

export type ReleaseRow = typeof releases.$inferSelect;
export type TargetRow = typeof deployTargets.$inferSelect;

export async function insertRelease(db: Db, row: ReleaseRow): Promise<void> {
  await db.insert(releases).values(row);
}

/** Built once per database: every release route's scope reads the row through it. */
const releaseById = preparedPerDb((db) =>
  db
    .select()
    .from(releases)
    .where(eq(releases.id, sql.placeholder('id')))
    .prepare('find_release'),
);

export async function findRelease(db: Db, id: string): Promise<ReleaseRow | undefined> {
  const [row] = await releaseById(db).execute({ id });
  return row;
}

export async function findByPreviewRef(db: Db, ref: string): Promise<ReleaseRow | undefined> {
  const [row] = await db.select().from(releases).where(eq(releases.previewRef, ref));
  return row;
}

export async function lockRelease(db: Db, id: string): Promise<ReleaseRow | undefined> {
  const [row] = await db.select().from(releases).where(eq(releases.id, id)).for('update');
  return row;
}

/** Serialises everything that changes what runs on one target (apply, approve, dispatch, land). */
export async function lockTarget(db: Db, id: string): Promise<TargetRow | undefined> {
  const [row] = await db.select().from(deployTargets).where(eq(deployTargets.id, id)).for('update');
  return row;
}

export async function setAppliedRelease(db: Db, targetId: string, releaseId: string, now: Date) {
  await db
    .update(deployTargets)
    .set({ appliedReleaseId: releaseId, updatedAt: now })
    .where(eq(deployTargets.id, targetId));
}

/** The digests of what each release's ticket approves. */
export async function releaseDigests(db: Db, ids: string[]) {
  if (ids.length === 0) return [];
  return db
    .select({ id: releases.id, revisionDigest: releases.revisionDigest, maskedDigest: releases.maskedDigest })
    .from(releases)
    .where(inArray(releases.id, ids));
}

/** Stores a target's first tag key unless one is there already; returns the one stored. */
export async function keepTagKey(
  db: Db,
  targetId: string,
  envelope: StoredEnvelope,
): Promise<StoredEnvelope> {
  await db
    .update(deployTargets)
    .set({ tagKeyEnvelope: envelope })
    .where(and(eq(deployTargets.id, targetId), isNull(deployTargets.tagKeyEnvelope)));
  const [row] = await db
    .select({ envelope: deployTargets.tagKeyEnvelope })
    .from(deployTargets)
    .where(eq(deployTargets.id, targetId));
  if (!row?.envelope) throw new Error(`target ${targetId} is gone`);
  return row.envelope;
}

/** Moves a release only from the state the caller saw; false when someone moved it first. */
export async function moveRelease(
  db: Db,
  id: string,
  from: LifecycleState,
  set: Partial<ReleaseRow>,
): Promise<boolean> {
  const rows = await db
    .update(releases)
    .set(set)
    .where(and(eq(releases.id, id), eq(releases.lifecycleState, from)))
    .returning({ id: releases.id });
  return rows.length === 1;
}

/** Another release of the target that holds it: approved (queued) or applying. */
export async function busyRelease(
  db: Db,
  targetId: string,
  exceptId: string,
): Promise<ReleaseRow | undefined> {
  const [row] = await db
    .select()
    .from(releases)
    .where(
      and(
        eq(releases.targetId, targetId),
        inArray(releases.lifecycleState, ['approved', 'applying']),
        sql`${releases.id} <> ${exceptId}`,
      ),
    )
    .limit(1);
  return row;
}

export async function duePreviews(db: Db, now: Date, limit: number): Promise<ReleaseRow[]> {
  return db
    .select()
    .from(releases)
    .where(and(eq(releases.lifecycleState, 'preview'), lte(releases.expiresAt, now)))
    .limit(limit);
}

/** Approved releases that have waited for a runner since before `cutoff` (entering approved stamps updated_at). */
export async function unclaimedApproved(db: Db, cutoff: Date, limit: number): Promise<ReleaseRow[]> {
  return db
    .select()
    .from(releases)
    .where(and(eq(releases.lifecycleState, 'approved'), lte(releases.updatedAt, cutoff)))
    .limit(limit);
}

/**
 * Up to `limit` releases whose raw diagnostics were written before `cutoff` and are still whole,
 * oldest first, locked; rows another transaction holds are passed over (the next sweep gets them).
 * Served by the partial index `releases_diagnostics_age`.
 */
export async function untrimmedDiagnostics(db: Db, cutoff: Date, limit: number) {
  return db
    .select({ id: releases.id, projectId: releases.projectId, diagnosticsJson: releases.diagnosticsJson })
    .from(releases)
    .where(
      and(
        isNotNull(releases.diagnosticsJson),
        isNull(releases.diagnosticsTrimmedAt),
        lt(releases.updatedAt, cutoff),
      ),
    )
    .orderBy(asc(releases.updatedAt))
    .limit(limit)
    .for('update', { skipLocked: true });
}

/** Replaces a release's diagnostics by their summary; `updated_at` stays that of its last change. */
export async function setTrimmedDiagnostics(db: Db, id: string, summary: Record<string, unknown>, at: Date) {
  await db
    .update(releases)
    .set({ diagnosticsJson: summary, diagnosticsTrimmedAt: at })
    .where(eq(releases.id, id));
}

export type ReleaseFilter = {
  runtimeType?: 'k8s' | 'compose';
  serviceId?: string;
  targetId?: string;
  environmentId?: string;
  projectId?: string;
  lifecycleState?: LifecycleState;
  before?: string;
  limit: number;
  /** Per runtime, the projects whose releases of that runtime the caller may read. */
  readable: { k8s: 'all' | string[]; compose: 'all' | string[] };
};

/** Releases of one runtime in the projects whose releases of that runtime the caller may read. */
const ofRuntime = (runtime: 'k8s' | 'compose', projects: 'all' | string[]): SQL | undefined =>
  projects !== 'all' && projects.length === 0
    ? undefined
    : and(eq(releases.runtimeType, runtime), inVisibleProjects(releases.projectId, projects));

/** What a list shows: everything but the masked text, variables and sealed envelope (large, unused). */
const {
  renderedMasked: _r,
  maskedRevision: _m,
  variablesMasked: _v,
  secretEnvelope: _s,
  previewHash: _h,
  ...listColumns
} = getTableColumns(releases);
export type ReleaseListRow = Omit<
  ReleaseRow,
  'renderedMasked' | 'maskedRevision' | 'variablesMasked' | 'secretEnvelope' | 'previewHash'
>;

export async function listReleases(db: Db, f: ReleaseFilter): Promise<ReleaseListRow[]> {
  const visible = [ofRuntime('k8s', f.readable.k8s), ofRuntime('compose', f.readable.compose)].filter(
    Boolean,
  );
  return db
    .select(listColumns)
    .from(releases)
    .where(
      and(
        visible.length ? or(...visible) : sql`false`,
        f.runtimeType ? eq(releases.runtimeType, f.runtimeType) : undefined,
        f.serviceId ? eq(releases.serviceId, f.serviceId) : undefined,
        f.targetId ? eq(releases.targetId, f.targetId) : undefined,
        f.environmentId ? eq(releases.environmentId, f.environmentId) : undefined,
        f.projectId ? eq(releases.projectId, f.projectId) : undefined,
        f.lifecycleState ? eq(releases.lifecycleState, f.lifecycleState) : undefined,
        f.before ? lt(releases.id, f.before) : undefined,
      ),
    )
    .orderBy(desc(releases.id))
    .limit(f.limit);
}

/**
 * The events of a release and of its tickets, in chain order, in one statement: the ticket ids come
 * from an `array(select …)` the server runs once before the scan, so both halves of the OR stay
 * index lookups on audit_events_resource. With `after`, only the events past that seq.
 */
const timeline = preparedPerDb((db, shape: 'all' | 'after') => {
  const releaseId = sql.placeholder('releaseId');
  const ticketIds = sql`array(select ${approvalTickets.id} from ${approvalTickets}
    where ${approvalTickets.resourceType} = 'release' and ${approvalTickets.resourceId} = ${releaseId})`;
  return db
    .select()
    .from(auditEvents)
    .where(
      and(
        or(
          and(eq(auditEvents.resourceType, 'release'), eq(auditEvents.resourceId, releaseId)),
          and(
            eq(auditEvents.resourceType, 'approval_ticket'),
            sql`${auditEvents.resourceId} = any(${ticketIds})`,
          ),
        ),
        shape === 'after' ? gt(auditEvents.seq, sql.placeholder('after')) : undefined,
      ),
    )
    .orderBy(asc(auditEvents.seq))
    .prepare(`release_timeline_${shape}`);
});

const timelineRead = (releaseId: string, afterSeq?: number) =>
  afterSeq === undefined
    ? { shape: 'all' as const, values: { releaseId } }
    : { shape: 'after' as const, values: { releaseId, after: afterSeq } };

/** The release's own events and those of its tickets, in chain order; after `afterSeq` when given. */
export async function timelineEvents(db: Db, release: Pick<ReleaseRow, 'id'>, afterSeq?: number) {
  const { shape, values } = timelineRead(release.id, afterSeq);
  return timeline(db, shape).execute(values);
}

/** The statement timelineEvents sends and its parameters, so its plan can be examined. */
export function timelineStatement(db: Db, releaseId: string, afterSeq?: number) {
  const { shape, values } = timelineRead(releaseId, afterSeq);
  const { sql: text, params } = timeline(db, shape).getQuery();
  return { sql: text, params: fillPlaceholders(params, values) };
}

/** Locks the target of a release (targets before releases, the order every writer takes). */
export async function lockReleaseTarget(db: Db, releaseId: string) {
  const r = await findRelease(db, releaseId);
  return r ? lockTarget(db, r.targetId) : undefined;
}
