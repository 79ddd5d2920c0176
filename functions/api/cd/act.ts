import type { BuildArtifact, BuildDeployment } from '../../../shared/contracts/ci';
import { scanTemplate } from '../../../shared/releases';
import type { Clock } from '../../platform/clock';
import type { Db } from '../../platform/db/types';
import type { KeyProvider } from '../../platform/keys/types';
import type { Logger } from '../../platform/logger';
import { recordEvent } from '../audit/writer';
import { findBuild } from '../ci/repo';
import { ApiError } from '../errors';
import { policyOf } from '../policy/service';
import type { Authorizer } from '../rbac/enforcer';
import { applyRelease } from '../releases/apply';
import { type PreviewOrigin, previewRelease, previewRollback, type ReleaseCtx } from '../releases/preview';
import { findRelease } from '../releases/repo';
import { findService } from '../services/repo';
import { templateFor } from '../services/variables';
import { findTarget } from '../targets/repo';
import { findUserById } from '../users/repo';
import {
  appendBuildDeployments,
  type CdPolicyRow,
  findCdPolicy,
  listCdPolicies,
  setBuildDeployments,
  takeWork,
} from './repo';

export type CdDeps = { db: Db; clock: Clock; keys: KeyProvider; authorizer: Authorizer };

/** Codes that mean "not now": the next build supersedes it, nothing retries (SPEC §7.2). */
const SKIPPED = new Set(['TARGET_BUSY', 'PREVIEW_STALE']);

/** The tag of an image reference: after its last `:`, unless that `:` is a registry's port. */
export function tagOf(image: string): string | null {
  const name = image.split('@')[0] ?? image;
  const last = name.lastIndexOf(':');
  return last > name.lastIndexOf('/') ? name.slice(last + 1) || null : null;
}

/**
 * A policy acts as the user who last saved it (SPEC §7.0 "who acts"), with that user's grants as
 * they are now, recorded as `source: system` on their behalf with what started it.
 */
async function actingAs(
  deps: CdDeps,
  policy: CdPolicyRow,
  cause: Record<string, string>,
): Promise<ReleaseCtx> {
  const user = await findUserById(deps.db, policy.savedBy);
  if (!user || user.disabled)
    throw new ApiError('FORBIDDEN', 'the user who saved the CD policy can no longer act');
  return {
    db: deps.db,
    clock: deps.clock,
    keys: deps.keys,
    grants: await deps.authorizer.forUser(deps.db, user.id),
    actor: {
      userId: user.id,
      username: user.username,
      source: 'system',
      cause: { on_behalf_of: user.id, ...cause },
    },
  };
}

const outcomeOf = (e: unknown): { outcome: string; error_code: string } => {
  const code = e instanceof ApiError ? e.code : 'INTERNAL';
  return { outcome: SKIPPED.has(code) ? 'skipped' : 'refused', error_code: code };
};

/**
 * Preview (and with `auto_apply`, apply) one target through the normal path. An error becomes the
 * entry's outcome rather than stopping the other targets.
 */
async function deployOne(
  ctx: ReleaseCtx,
  policy: CdPolicyRow,
  targetId: string,
  buildId: string,
  artifact: BuildArtifact,
): Promise<BuildDeployment> {
  const entry = { environment_id: policy.environmentId, target_id: targetId };
  let releaseId: string | null = null;
  try {
    const target = await findTarget(ctx.db, targetId);
    const service = await findService(ctx.db, policy.serviceId);
    if (!target || !service) throw new ApiError('NOT_FOUND', 'the target or the service is gone');
    const template = templateFor(service, target.runtimeType);
    const used = new Set(template ? scanTemplate(template).names : []);
    // Only what the template uses (the renderer refuses others). DIGEST comes from the same
    // artifact as IMAGE or not at all: the applied one belongs to another image (SPEC §7.0).
    const variables: Record<string, string> = {};
    if (used.has('IMAGE')) variables.IMAGE = artifact.image;
    const tag = tagOf(artifact.image);
    if (used.has('TAG') && tag) variables.TAG = tag;
    if (used.has('DIGEST')) {
      if (!artifact.digest)
        throw new ApiError('VALIDATION_FAILED', 'the build gives no digest for its image', [
          { path: 'variables.DIGEST', message: 'the template uses DIGEST and the build has none' },
        ]);
      variables.DIGEST = artifact.digest;
    }
    const origin: PreviewOrigin = { alwaysTicket: policy.approval === 'always', buildId };
    const preview = await previewRelease(
      { service_id: policy.serviceId, target_id: targetId, strategy: policy.strategy, variables },
      ctx,
      origin,
    );
    releaseId = preview.id;
    if (!policy.autoApply || !preview.preview_ref)
      return { ...entry, release_id: releaseId, outcome: preview.lifecycle_state, error_code: null };
    const applied = await applyRelease({ preview_ref: preview.preview_ref }, ctx);
    return { ...entry, release_id: releaseId, outcome: applied.lifecycle_state, error_code: null };
  } catch (e) {
    return { ...entry, release_id: releaseId, ...outcomeOf(e) };
  }
}

/** SPEC §7.2: the project switch `ci_triggers_enabled: false` stops every automatic action. */
const triggersOn = async (db: Db, projectId: string) => (await policyOf(db, projectId)).ci_triggers_enabled;

/** What the service's policies do with a succeeded build: one entry per target they name. */
export async function deployBuild(deps: CdDeps, buildId: string): Promise<BuildDeployment[]> {
  const build = await findBuild(deps.db, buildId);
  const artifact = build?.artifacts[0];
  if (build?.status !== 'succeeded' || !artifact) return [];
  if (!(await triggersOn(deps.db, build.projectId))) return [];
  const policies = (await listCdPolicies(deps.db, build.serviceId)).filter(
    (p) => p.autoPreviewOnBuild || p.autoApply,
  );
  const entries: BuildDeployment[] = [];
  for (const policy of policies) {
    let ctx: ReleaseCtx;
    try {
      ctx = await actingAs(deps, policy, { build_id: build.id });
    } catch (e) {
      for (const t of policy.targetIds)
        entries.push({
          environment_id: policy.environmentId,
          target_id: t,
          release_id: null,
          ...outcomeOf(e),
        });
      continue;
    }
    for (const t of policy.targetIds) entries.push(await deployOne(ctx, policy, t, build.id, artifact));
  }
  if (entries.length === 0) return entries;
  await deps.db.transaction(async (tx) => {
    await setBuildDeployments(tx, build.id, entries);
    await recordEvent(tx, deps.clock, {
      action: 'build.deployed',
      resourceType: 'build',
      resourceId: build.id,
      projectId: build.projectId,
      actor: { userId: null, source: 'system' },
      detail: { deployments: entries },
    });
  });
  return entries;
}

/**
 * A release a runner ran and that failed, rolled back through the governed path when its
 * target's policy asks for it. Never a rollback itself (the work is only owed for others).
 */
export async function rollBackFailed(deps: CdDeps, releaseId: string): Promise<BuildDeployment | null> {
  const r = await findRelease(deps.db, releaseId);
  if (r?.lifecycleState !== 'failed' || r.rollbackOf) return null;
  const policy = await findCdPolicy(deps.db, r.serviceId, r.environmentId);
  if (!policy?.autoRollbackOnFailure || !policy.targetIds.includes(r.targetId)) return null;
  if (!(await triggersOn(deps.db, r.projectId))) return null;
  const entry = { environment_id: r.environmentId, target_id: r.targetId };
  let result: BuildDeployment;
  let rollbackId: string | null = null;
  try {
    const ctx = await actingAs(deps, policy, {
      rollback_of: r.id,
      ...(r.buildId ? { build_id: r.buildId } : {}),
    });
    const preview = await previewRollback(r.id, ctx, {
      alwaysTicket: policy.approval === 'always',
      buildId: r.buildId,
    });
    rollbackId = preview.id;
    const applied = await applyRelease({ preview_ref: preview.preview_ref ?? '' }, ctx);
    result = { ...entry, release_id: rollbackId, outcome: applied.lifecycle_state, error_code: null };
  } catch (e) {
    result = { ...entry, release_id: rollbackId, ...outcomeOf(e) };
  }
  if (r.buildId) await appendBuildDeployments(deps.db, r.buildId, [result]);
  return result;
}

/**
 * The sweep's share: at most `limit` builds and failed releases per run. One that breaks is
 * logged and left (it was taken at most once), so it never stops the rest of the sweep.
 */
export async function runCdWork(deps: CdDeps & { logger?: Logger }, limit = 50): Promise<number> {
  const work = await takeWork(deps.db, limit, deps.clock.now());
  for (const w of work) {
    try {
      if (w.kind === 'build') await deployBuild(deps, w.subjectId);
      else await rollBackFailed(deps, w.subjectId);
    } catch (e) {
      deps.logger?.error('CD work failed', { kind: w.kind, subject_id: w.subjectId, err: e });
    }
  }
  return work.length;
}
