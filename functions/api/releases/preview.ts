import type { Permission } from '../../../shared/permissions';
import { needsTicket } from '../../../shared/policy';
import type { Check, PreviewReleaseRequest, Release } from '../../../shared/releases';
import {
  assessRisk,
  diffRevisions,
  maskedDigest,
  previewHash,
  renderTemplate,
  scanTemplate,
} from '../../../shared/releases';
import type { Db } from '../../platform/db/types';
import { newId } from '../../platform/ids';
import type { KeyProvider } from '../../platform/keys/types';
import { recordEvent } from '../audit/writer';
import { findCluster } from '../clusters/repo';
import type { ServiceCtx } from '../context';
import { findEnvironment } from '../environments/repo';
import { ApiError, invalid } from '../errors';
import { certificateCheck } from '../installs/certs';
import { requirePermissions } from '../middleware/authorize';
import { policyOf } from '../policy/service';
import type { Grants } from '../rbac/enforcer';
import { poolHasOnlineRunner } from '../runners/repo';
import { ONLINE_WINDOW_MS } from '../runners/service';
import { findService, type ServiceRow } from '../services/repo';
import { templateFor } from '../services/variables';
import { findTarget } from '../targets/repo';
import { accessChecks } from './access-checks';
import { appliedOfService, MASK, reusableValues } from './applied-values';
import { findRelease, insertRelease, type ReleaseRow, type TargetRow } from './repo';
import {
  keyedDigest,
  materialise,
  newDigestKey,
  openRevision,
  runningRevision,
  sealRevision,
  targetTagKey,
} from './revision';
import { toRelease } from './view';

/** `testMaxAgeSeconds`: K8SM_TEST_MAX_AGE_SECONDS, how old a host or cluster test may be before a check warns. */
export type ReleaseCtx = ServiceCtx & { grants: Grants; keys: KeyProvider; testMaxAgeSeconds?: number };

/** A preview needs the permissions of the apply it prepares: generic plus the runtime's. */
export const applyPermissions = (runtime: 'k8s' | 'compose', rollback: boolean): Permission[] =>
  rollback
    ? ['deploy:release:rollback', `deploy:${runtime}:rollback`]
    : ['deploy:release:apply', `deploy:${runtime}:apply`];

type Computed = {
  target: TargetRow;
  serviceId: string;
  strategy: 'rolling' | 'recreate';
  template: string;
  variables: Record<string, string>;
  secretNames: string[];
  rendered: string;
  rollbackOf: string | null;
};

/**
 * What a CD policy adds to a preview it makes: a ticket even where the project policy wants none
 * (`approval: always` is only ever stricter), and the build the release comes from.
 */
export type PreviewOrigin = { alwaysTicket?: boolean; buildId?: string | null };

/** Everything after rendering is the same for a preview and a rollback preview. */
async function storePreview(c: Computed, ctx: ReleaseCtx, origin: PreviewOrigin): Promise<Release> {
  const { db, keys } = ctx;
  const target = c.target;
  const env = await findEnvironment(db, target.environmentId);
  if (!env) throw invalid('target_id', 'the target’s environment is gone');
  const secretValues = Object.fromEntries(
    c.secretNames.filter((n) => n in c.variables).map((n) => [n, c.variables[n]!]),
  );
  const running = await runningRevision(db, keys, target, findRelease);
  // One digest key for both sides, so a secret that did not change compares equal; new for the
  // release, so its stored digests are keyed by a secret only its envelope holds.
  const digestKey = newDigestKey();
  const tagKey = await targetTagKey(db, keys, target);
  const m = materialise(target, c.rendered, secretValues, digestKey, tagKey.key);
  tagKey.key.fill(0);
  if (!m.ok) throw new ApiError('VALIDATION_FAILED', 'the rendered revision is not valid', m.fields);
  const before = running
    ? materialise(target, running.sealed.rendered, running.sealed.secret_values, digestKey)
    : null;
  if (before && !before.ok) throw new Error(`the running release ${running?.release.id} no longer validates`);
  const diff = diffRevisions({
    before: before?.revision ?? null,
    after: m.revision,
    runtime: target.runtimeType,
  });
  const digest = keyedDigest(digestKey, m.text);
  const masked = m.masked!;
  const maskedSum = maskedDigest(masked);
  const hasChanges = !running || running.sealed.rendered !== m.text;
  const risk = assessRisk({
    tier: env.tier,
    summary: diff.summary,
    hasChanges,
    runtime: target.runtimeType,
    documents: m.revision.documents,
  });
  const policy = await policyOf(db, target.projectId);
  const approvalRequired =
    needsTicket(policy, env.tier, c.rollbackOf ? 'rollback' : 'apply') || Boolean(origin.alwaysTicket);
  const checks: Check[] = [
    { name: 'target', status: 'pass', detail: `${target.runtimeType} target ${target.name} is complete` },
    await runnerCheck(db, env.runnerPoolId, ctx.clock.now()),
    ...(await accessChecks(db, target, ctx.clock.now(), ctx.testMaxAgeSeconds)),
    ...(target.clusterId ? certificateCheck(await findCluster(db, target.clusterId), ctx.clock.now()) : []),
    {
      name: 'policy',
      status: 'pass',
      detail: approvalRequired
        ? `${env.tier}: an approval ticket is needed${origin.alwaysTicket ? ' (the CD policy asks for one)' : ''}`
        : `${env.tier}: no ticket needed`,
    },
    ...m.warnings.map((w) => ({
      name: 'manifest',
      status: 'warn' as const,
      detail: `${w.path}: ${w.message}`,
    })),
    ...(hasChanges
      ? []
      : [
          {
            name: 'changes',
            status: 'warn' as const,
            // A rollback re-applies even an unchanged revision: it may undo what a failed one left.
            detail: c.rollbackOf
              ? 'identical to the revision recorded as running; the rollback re-applies it'
              : 'identical to what runs now',
          },
        ]),
  ];

  const now = ctx.clock.now();
  const id = newId('rel');
  const variablesMasked = Object.fromEntries(
    Object.entries(c.variables).map(([k, v]) => [k, c.secretNames.includes(k) ? '***' : v]),
  );
  const row: ReleaseRow = {
    id,
    projectId: target.projectId,
    environmentId: target.environmentId,
    serviceId: c.serviceId,
    targetId: target.id,
    runtimeType: target.runtimeType,
    strategy: c.strategy,
    lifecycleState: 'preview',
    approvalRequired,
    approvalTicketId: null,
    previewRef: newId('pvw'),
    previewHash: previewHash({
      template: c.template,
      variables: c.variables,
      targetRevisionDigest: running?.release.revisionDigest ?? null,
      context: {
        target_id: target.id,
        service_id: c.serviceId,
        strategy: c.strategy,
        rollback_of: c.rollbackOf,
      },
    }),
    expiresAt: new Date(now.getTime() + policy.preview_ttl_seconds * 1000),
    baseReleaseId: running?.release.id ?? null,
    riskLevel: risk.level,
    checks,
    diff: { ...diff, risk_reasons: risk.reasons },
    variablesMasked,
    renderedMasked: m.revision.text,
    revisionDigest: digest,
    maskedRevision: masked,
    maskedDigest: maskedSum,
    secretEnvelope: null,
    rollbackOf: c.rollbackOf,
    diagnosticsJson: null,
    diagnosticsTrimmedAt: null,
    createdBy: ctx.actor.userId,
    appliedAt: null,
    buildId: origin.buildId ?? null,
    createdAt: now,
    updatedAt: now,
  };
  // Sealed with this release's own context: the unmasked text never sits in the row in plaintext.
  row.secretEnvelope = await sealRevision(keys, row, {
    rendered: m.text,
    secret_values: secretValues,
    digest_key: digestKey,
  });
  await db.transaction(async (tx) => {
    await insertRelease(tx, row);
    await recordEvent(tx, ctx.clock, {
      action: 'release.previewed',
      resourceType: 'release',
      resourceId: id,
      projectId: row.projectId,
      environmentId: row.environmentId,
      actor: ctx.actor,
      status: 'preview',
      detail: {
        preview_ref: row.previewRef,
        risk_level: row.riskLevel,
        approval_required: approvalRequired,
        revision_digest: digest,
        masked_digest: maskedSum,
        ...(tagKey.created ? { tag_key_created: true } : {}),
        base_release_id: row.baseReleaseId,
        rollback_of: c.rollbackOf,
        ...(row.buildId ? { build_id: row.buildId } : {}),
        variables: variablesMasked,
      },
    });
  });
  return toRelease(row);
}

export async function previewRelease(
  input: PreviewReleaseRequest,
  ctx: ReleaseCtx,
  origin: PreviewOrigin = {},
): Promise<Release> {
  const target = await findTarget(ctx.db, input.target_id);
  if (!target) throw invalid('target_id', 'no such target');
  await requirePermissions(ctx.grants, applyPermissions(target.runtimeType, false), target.projectId);
  const service = await findService(ctx.db, input.service_id);
  if (!service || service.projectId !== target.projectId)
    throw invalid('service_id', 'no such service in the target’s project');
  const template = templateFor(service, target.runtimeType);
  if (!template)
    throw invalid(
      'service_id',
      `the service has no ${target.runtimeType === 'k8s' ? 'k8s_manifest' : 'compose_file'}`,
    );
  const { variables, secretNames } = await withAppliedValues(ctx, target, service, template, input.variables);
  const rendered = renderTemplate(template, variables, { compose: target.runtimeType === 'compose' });
  if (!rendered.ok)
    throw new ApiError('VALIDATION_FAILED', 'the variables do not fit the template', rendered.fields);
  return storePreview(
    {
      target,
      serviceId: service.id,
      strategy: input.strategy ?? 'rolling',
      template,
      variables,
      secretNames,
      rendered: rendered.text,
      rollbackOf: null,
    },
    ctx,
    origin,
  );
}

/**
 * SPEC §7.0 "Variables not given": each placeholder the template uses and the request leaves out
 * comes from the target's applied release of the same service, secret values included (opened
 * from its envelope, as a rollback does), and a value secret there stays secret here. A secret
 * value of exactly `***` is someone's pasted mask: refused, so a mask is never deployed.
 */
async function withAppliedValues(
  ctx: ReleaseCtx,
  target: TargetRow,
  service: ServiceRow,
  template: string,
  given: Record<string, string>,
) {
  const variables = { ...given };
  const secretNames = new Set(service.secretVariables);
  const missing = scanTemplate(template).names.filter((n) => !Object.hasOwn(given, n));
  const applied = missing.length ? await appliedOfService(ctx.db, target, service.id) : undefined;
  if (applied) {
    const reused = await reusableValues(ctx.keys, applied, missing);
    Object.assign(variables, reused.values);
    for (const n of reused.secret) secretNames.add(n);
  }
  const pasted = [...secretNames]
    .filter((n) => variables[n] === MASK)
    .map((n) => ({
      path: `variables.${n}`,
      message: 'a masked value (***) cannot be deployed: leave the variable out to keep the current value',
    }));
  if (pasted.length) throw new ApiError('VALIDATION_FAILED', 'request failed validation', pasted);
  return { variables, secretNames: [...secretNames] };
}

/**
 * The release a rollback of `original` returns to (SPEC §7.5 "a failed release can be rolled back"):
 * - an applied release that runs now returns to the one it replaced (its base);
 * - a failed release returns to the target's applied revision, which is the one it was previewed
 *   against: it may have half-landed, and re-applying the revision the platform records as running
 *   puts the target back where it was. Only while nothing landed since, so it stays "the last one".
 * Anything else has nothing to roll back: 409.
 */
function returnsTo(original: ReleaseRow, appliedReleaseId: string | null): string | null {
  if (original.lifecycleState === 'applied') {
    if (appliedReleaseId !== original.id)
      throw new ApiError('CONFLICT', 'only the release that runs on its target now can be rolled back');
    return original.baseReleaseId;
  }
  if (original.lifecycleState === 'failed') {
    if (appliedReleaseId !== original.baseReleaseId)
      throw new ApiError('CONFLICT', 'another release landed on the target since this one failed');
    return original.baseReleaseId;
  }
  throw new ApiError('CONFLICT', 'only an applied or a failed release can be rolled back');
}

/**
 * A rollback is a new release whose content is the revision that ran before `:id` — re-using the
 * sealed values of that release — previewed, approved and applied like any other.
 */
export async function previewRollback(
  releaseId: string,
  ctx: ReleaseCtx,
  origin: PreviewOrigin = {},
): Promise<Release> {
  const original = await findRelease(ctx.db, releaseId);
  if (!original) throw new ApiError('NOT_FOUND', 'release not found');
  await requirePermissions(ctx.grants, applyPermissions(original.runtimeType, true), original.projectId);
  const target = await findTarget(ctx.db, original.targetId);
  if (!target) throw new ApiError('NOT_FOUND', 'target not found');
  const previousId = returnsTo(original, target.appliedReleaseId);
  const previous = previousId ? await findRelease(ctx.db, previousId) : undefined;
  if (!previous) throw new ApiError('CONFLICT', 'there is no earlier revision on this target to return to');
  const sealed = await openRevision(ctx.keys, previous);
  const variables = { ...previous.variablesMasked, ...sealed.secret_values };
  return storePreview(
    {
      target,
      serviceId: previous.serviceId,
      strategy: previous.strategy,
      template: sealed.rendered,
      variables,
      secretNames: Object.keys(sealed.secret_values),
      rendered: sealed.rendered,
      rollbackOf: original.id,
    },
    ctx,
    origin,
  );
}

/** A missing pool or an idle one is a warning, not a block: the job waits queued (SPEC §4). */
async function runnerCheck(db: Db, poolId: string | null, now: Date): Promise<Check> {
  if (!poolId)
    return {
      name: 'runner',
      status: 'warn',
      detail: 'the environment has no runner pool yet; the job will wait for one',
    };
  if (!(await poolHasOnlineRunner(db, poolId, new Date(now.getTime() - ONLINE_WINDOW_MS))))
    return {
      name: 'runner',
      status: 'warn',
      detail: `no runner of pool ${poolId} is online; the job will wait for one`,
    };
  return { name: 'runner', status: 'pass', detail: `runner pool ${poolId} has a runner online` };
}
