import { imageValues, renderImage } from '../../../shared/ci/image';
import type { BuildReport } from '../../../shared/ci/reports';
import {
  type Build,
  type BuildArtifact,
  type BuildStatus,
  FINAL_BUILD_STATUSES,
} from '../../../shared/contracts/ci';
import type { Clock } from '../../platform/clock';
import type { Db } from '../../platform/db/types';
import { newId } from '../../platform/ids';
import { recordEvent } from '../audit/writer';
import { oweWork } from '../cd/repo';
import {
  type BuildRow,
  insertBuild,
  lockBuildOfCommit,
  lockOpenBuildsBefore,
  type PipelineRow,
  updateBuild,
} from './repo';

/** Deliveries act for nobody: the provider's signature, not a user, stands behind them. */
export const WEBHOOK_ACTOR = { userId: null, source: 'system' } as const;

export const toBuild = (b: BuildRow): Build => ({
  id: b.id,
  project_id: b.projectId,
  service_id: b.serviceId,
  pipeline_id: b.pipelineId,
  provider_run_id: b.providerRunId,
  commit: b.commitSha,
  ref: b.ref,
  status: b.status,
  artifacts: b.artifacts,
  deployments: b.deployments,
  created_at: b.createdAt.toISOString(),
  updated_at: b.updatedAt.toISOString(),
});

const isFinal = (s: BuildStatus) => FINAL_BUILD_STATUSES.includes(s);

/**
 * The state after a report. Deliveries arrive out of order (a retried `in_progress` after the
 * `completed`), so a final state is not undone by a later non-final one; a final state may
 * follow another (a re-run that passes), and anything may follow `unknown`.
 */
export function nextStatus(current: BuildStatus, reported: BuildStatus | null): BuildStatus {
  if (reported === null) return current;
  if (isFinal(current) && !isFinal(reported)) return current;
  return reported;
}

/** What the build produced: the sender's own artifacts, else the pipeline's image once it renders. */
function artifactsOf(
  pipeline: Pick<PipelineRow, 'image'>,
  b: { commit: string; ref: string | null; runNumber: string | null },
  reported: BuildArtifact[] | null,
  current: BuildArtifact[],
): BuildArtifact[] {
  if (reported) return reported;
  const image = renderImage(pipeline.image, imageValues(b));
  return image ? [{ image, digest: null }] : current;
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * A succeeded build with an image is owed to the CD policies: one insert here, the work itself
 * in the sweep, so the provider's delivery is answered at intake speed. Owed once per build.
 */
async function oweDeploy(tx: Db, clock: Clock, b: Pick<BuildRow, 'id' | 'status' | 'artifacts'>) {
  if (b.status === 'succeeded' && b.artifacts.length > 0) await oweWork(tx, 'build', b.id, clock.now());
}

/**
 * Records one report in the build of its pipeline and commit: a push and the run it starts are
 * one build. Runs in the delivery's transaction; returns the build's id.
 */
export async function recordReport(
  tx: Db,
  clock: Clock,
  pipeline: PipelineRow,
  report: BuildReport,
  deliveryId: string,
): Promise<string> {
  const current = await lockBuildOfCommit(tx, pipeline.id, report.commit);
  const now = clock.now();
  if (!current) {
    const row: BuildRow = {
      id: newId('bld'),
      projectId: pipeline.projectId,
      serviceId: pipeline.serviceId,
      pipelineId: pipeline.id,
      providerRunId: report.runId,
      commitSha: report.commit,
      ref: report.ref,
      runNumber: report.runNumber,
      status: report.status ?? 'queued',
      artifacts: artifactsOf(pipeline, report, report.artifacts, []),
      deployments: [],
      createdAt: now,
      updatedAt: now,
    };
    // A concurrent delivery of the same commit made it first: move that one instead.
    if (!(await insertBuild(tx, row))) return recordReport(tx, clock, pipeline, report, deliveryId);
    await recordEvent(tx, clock, {
      action: 'build.received',
      resourceType: 'build',
      resourceId: row.id,
      projectId: row.projectId,
      actor: WEBHOOK_ACTOR,
      status: row.status,
      detail: {
        pipeline_id: pipeline.id,
        delivery_id: deliveryId,
        commit: row.commitSha,
        ref: row.ref,
        provider_run_id: row.providerRunId,
      },
    });
    await oweDeploy(tx, clock, row);
    return row.id;
  }

  const merged = {
    commit: current.commitSha,
    // The push's full ref wins over a run's branch name, which cannot tell a tag from a branch.
    ref: current.ref ?? report.ref,
    runNumber: report.runNumber ?? current.runNumber,
  };
  const next = {
    providerRunId: report.runId ?? current.providerRunId,
    ref: merged.ref,
    runNumber: merged.runNumber,
    status: nextStatus(current.status, report.status),
    artifacts: artifactsOf(pipeline, merged, report.artifacts, current.artifacts),
  };
  const changed = (Object.keys(next) as (keyof typeof next)[]).filter((k) => !sameJson(next[k], current[k]));
  if (changed.length === 0) return current.id;
  await updateBuild(tx, current.id, next, now);
  await recordEvent(tx, clock, {
    action: 'build.updated',
    resourceType: 'build',
    resourceId: current.id,
    projectId: current.projectId,
    actor: WEBHOOK_ACTOR,
    status: next.status,
    detail: {
      pipeline_id: pipeline.id,
      delivery_id: deliveryId,
      status: { from: current.status, to: next.status },
      provider_run_id: next.providerRunId,
    },
  });
  await oweDeploy(tx, clock, { id: current.id, ...next });
  return current.id;
}

/** One sweep moves at most this many; the next sweep takes the rest. */
const SWEEP_BATCH = 200;

/** SPEC §7.2: a build with no final state after the timeout becomes `unknown`. */
export async function timeOutBuilds(db: Db, clock: Clock, timeoutMinutes: number): Promise<number> {
  return db.transaction(async (tx) => {
    const before = new Date(clock.now().getTime() - timeoutMinutes * 60_000);
    const stale = await lockOpenBuildsBefore(tx, before, SWEEP_BATCH);
    for (const b of stale) {
      await updateBuild(tx, b.id, { status: 'unknown' }, clock.now());
      await recordEvent(tx, clock, {
        action: 'build.timed_out',
        resourceType: 'build',
        resourceId: b.id,
        projectId: b.projectId,
        actor: { userId: null, source: 'system' },
        status: 'unknown',
        detail: { pipeline_id: b.pipelineId, from: b.status, timeout_minutes: timeoutMinutes },
      });
    }
    return stale.length;
  });
}
