import type {
  CreateRunnerPoolRequest,
  PatchRunnerPoolRequest,
  RegisterRunnerRequest,
  Runner,
  RunnerPool,
  RunnerPoolDetail,
} from '../../../shared/contracts/runners';
import { publicKeyFromRaw } from '../../../shared/crypto/sealed-box';
import type { Clock } from '../../platform/clock';
import type { Db } from '../../platform/db/types';
import type { VisibleWindow } from '../../platform/db/visible';
import { newId } from '../../platform/ids';
import { recordEvent } from '../audit/writer';
import type { ServiceCtx } from '../context';
import { ApiError, assertUnused, invalid, notFound } from '../errors';
import { poolQueue } from '../jobs/repo';
import { findProject } from '../projects/repo';
import {
  currentJobs,
  findPool,
  findPoolByName,
  insertPool,
  insertRegistrationToken,
  insertRunner,
  listPools,
  listRunners,
  lockPool,
  lockRegistrationToken,
  lockRunner,
  markRegistrationTokenUsed,
  onlineRunners,
  type PoolRow,
  poolUsers,
  type RunnerRow,
  updatePool,
  updateRunner,
} from './repo';
import { hashToken, newRegistrationToken, newRunnerToken } from './tokens';

/** A runner counts as online when it called within this window (a long poll is at most 25 s). */
export const ONLINE_WINDOW_MS = 90_000;

export const toPool = (p: PoolRow): RunnerPool => ({
  id: p.id,
  name: p.name,
  project_id: p.projectId,
  created_at: p.createdAt.toISOString(),
});

export function toRunner(r: RunnerRow, now: Date, jobs: string[]): Runner {
  return {
    id: r.id,
    runner_pool_id: r.runnerPoolId,
    name: r.name,
    labels: r.labels,
    version: r.version,
    online: !r.revokedAt && !!r.lastSeenAt && now.getTime() - r.lastSeenAt.getTime() < ONLINE_WINDOW_MS,
    last_seen_at: r.lastSeenAt?.toISOString() ?? null,
    revoked_at: r.revokedAt?.toISOString() ?? null,
    current_jobs: jobs,
    created_at: r.createdAt.toISOString(),
  };
}

const poolNameTaken = () =>
  new ApiError('ALREADY_EXISTS', 'a runner pool of that name exists', [
    { path: 'name', message: 'already exists' },
  ]);

export async function createPool(
  input: CreateRunnerPoolRequest,
  ctx: ServiceCtx,
  onCreated: (poolId: string) => Promise<void>,
): Promise<RunnerPool> {
  const pool = await ctx.db.transaction(async (tx) => {
    if (input.project_id && !(await findProject(tx, input.project_id)))
      throw invalid('project_id', 'no such project');
    const now = ctx.clock.now();
    const row: PoolRow = {
      id: newId('rpl'),
      name: input.name,
      projectId: input.project_id ?? null,
      createdBy: ctx.actor.userId,
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
    };
    if (!(await insertPool(tx, row))) throw poolNameTaken();
    await recordEvent(tx, ctx.clock, {
      action: 'runner_pool.created',
      resourceType: 'runner_pool',
      resourceId: row.id,
      projectId: row.projectId,
      actor: ctx.actor,
      detail: { name: row.name },
    });
    return row;
  });
  // The queue (SQS) is made after the row commits; creating it again is harmless, so a failure
  // here is repaired by retrying the same call path (dispatch creates it on first publish too).
  await onCreated(pool.id);
  return toPool(pool);
}

export async function patchPool(id: string, input: PatchRunnerPoolRequest, ctx: ServiceCtx) {
  return ctx.db.transaction(async (tx) => {
    const pool = await lockPool(tx, id, 'update');
    if (!pool) throw notFound('runner pool');
    if (input.name !== pool.name && (await findPoolByName(tx, pool.projectId, input.name)))
      throw poolNameTaken();
    const now = ctx.clock.now();
    await updatePool(tx, id, { name: input.name, updatedAt: now });
    await recordEvent(tx, ctx.clock, {
      action: 'runner_pool.updated',
      resourceType: 'runner_pool',
      resourceId: id,
      projectId: pool.projectId,
      actor: ctx.actor,
      detail: { changed: input, name: { from: pool.name, to: input.name } },
    });
    return toPool({ ...pool, name: input.name, updatedAt: now });
  });
}

/**
 * Soft delete (SPEC §7.0): 409 IN_USE while anything would still send work to the pool (an
 * environment, host or cluster bound to it, a queued or running job) or a runner of it is not
 * revoked. Its queue is left to expire on its own; nothing publishes to a deleted pool.
 */
export async function deletePool(id: string, ctx: ServiceCtx): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const pool = await lockPool(tx, id, 'update');
    if (!pool) throw notFound('runner pool');
    const users = await poolUsers(tx, id);
    assertUnused('runner pool', {
      'environment(s)': users.environments,
      'host(s)': users.hosts,
      'cluster(s)': users.clusters,
      'runner(s) not revoked': users.runners,
      'unfinished job(s)': users.jobs,
    });
    const now = ctx.clock.now();
    await updatePool(tx, id, { deletedAt: now, updatedAt: now });
    await recordEvent(tx, ctx.clock, {
      action: 'runner_pool.deleted',
      resourceType: 'runner_pool',
      resourceId: id,
      projectId: pool.projectId,
      actor: ctx.actor,
      detail: { name: pool.name },
    });
  });
}

export async function createRegistrationToken(poolId: string, expiresInSeconds: number, ctx: ServiceCtx) {
  return ctx.db.transaction(async (tx) => {
    const pool = await findPool(tx, poolId);
    if (!pool) throw notFound('runner pool');
    const token = newRegistrationToken();
    const now = ctx.clock.now();
    const row = {
      id: newId('rrt'),
      runnerPoolId: pool.id,
      tokenHash: hashToken(token),
      expiresAt: new Date(now.getTime() + expiresInSeconds * 1000),
      usedAt: null,
      runnerId: null,
      createdBy: ctx.actor.userId,
      createdAt: now,
    };
    await insertRegistrationToken(tx, row);
    await recordEvent(tx, ctx.clock, {
      action: 'runner_pool.token_created',
      resourceType: 'runner_pool',
      resourceId: pool.id,
      projectId: pool.projectId,
      actor: ctx.actor,
      detail: { token_id: row.id, expires_at: row.expiresAt.toISOString() },
    });
    return { id: row.id, runner_pool_id: pool.id, token, expires_at: row.expiresAt.toISOString() };
  });
}

const badRegistration = () =>
  new ApiError('UNAUTHENTICATED', 'the registration token is unknown, used or expired', [
    { path: 'registration_token', message: 'unknown, used or expired' },
  ]);

/** One token registers one runner, once; the runner's token is returned here and never again. */
export async function registerRunner(input: RegisterRunnerRequest, db: Db, clock: Clock) {
  try {
    publicKeyFromRaw(input.public_key);
  } catch {
    throw invalid('public_key', 'not a valid X25519 public key');
  }
  return db.transaction(async (tx) => {
    const t = await lockRegistrationToken(tx, hashToken(input.registration_token));
    const now = clock.now();
    if (!t || t.usedAt || t.expiresAt <= now) throw badRegistration();
    const pool = await lockPool(tx, t.runnerPoolId, 'share');
    if (!pool) throw badRegistration();
    const id = newId('rnr');
    const token = newRunnerToken(id);
    await insertRunner(tx, {
      id,
      runnerPoolId: pool.id,
      name: input.name,
      labels: input.labels,
      publicKey: input.public_key,
      tokenHash: hashToken(token),
      version: input.version ?? null,
      lastSeenAt: now,
      revokedAt: null,
      createdAt: now,
      updatedAt: now,
    });
    await markRegistrationTokenUsed(tx, t.id, id, now);
    await recordEvent(tx, clock, {
      action: 'runner.registered',
      resourceType: 'runner',
      resourceId: id,
      projectId: pool.projectId,
      actor: { userId: null, source: 'runner' },
      detail: { runner_pool_id: pool.id, name: input.name, token_id: t.id, version: input.version ?? null },
    });
    return { runner_id: id, runner_token: token, runner_pool_id: pool.id };
  });
}

async function changeRunner(
  id: string,
  ctx: ServiceCtx,
  change: (r: RunnerRow, now: Date) => Partial<RunnerRow>,
  action: 'runner.revoked' | 'runner.token_rotated',
) {
  return ctx.db.transaction(async (tx) => {
    const r = await lockRunner(tx, id);
    if (!r) throw notFound('runner');
    if (r.revokedAt) throw new ApiError('CONFLICT', 'the runner is revoked');
    const pool = await findPool(tx, r.runnerPoolId);
    const now = ctx.clock.now();
    const set = { ...change(r, now), updatedAt: now };
    await updateRunner(tx, id, set);
    await recordEvent(tx, ctx.clock, {
      action,
      resourceType: 'runner',
      resourceId: id,
      projectId: pool?.projectId ?? null,
      actor: ctx.actor,
      detail: { runner_pool_id: r.runnerPoolId },
    });
    return { ...r, ...set };
  });
}

/** The runner's token stops working at once; the jobs it holds are taken over when their leases run out. */
export async function revokeRunner(id: string, ctx: ServiceCtx): Promise<Runner> {
  const r = await changeRunner(id, ctx, (_r, now) => ({ revokedAt: now }), 'runner.revoked');
  return toRunner(r, ctx.clock.now(), (await currentJobs(ctx.db, [id], ctx.clock.now())).get(id) ?? []);
}

/** A new token replaces the old one at once (the old one gets 401 from then on). */
export async function rotateRunnerToken(id: string, ctx: ServiceCtx) {
  const token = newRunnerToken(id);
  await changeRunner(id, ctx, () => ({ tokenHash: hashToken(token) }), 'runner.token_rotated');
  return { runner_id: id, runner_token: token };
}

/**
 * Runners of the pools the caller may see (global pools and those of its projects), each with the
 * jobs it holds now.
 */
export async function listRunnersWithJobs(
  db: Db,
  w: VisibleWindow & { runnerPoolId?: string },
  now: Date,
): Promise<Runner[]> {
  const pools =
    w.projects === 'all' ? undefined : await listPools(db, { projects: w.projects, limit: 10_000 });
  const rows = await listRunners(db, {
    poolIds: pools ? pools.map((p) => p.id) : '*',
    runnerPoolId: w.runnerPoolId,
    after: w.after,
    limit: w.limit,
  });
  const held = await currentJobs(
    db,
    rows.map((r) => r.id),
    now,
  );
  return rows.map((r) => toRunner(r, now, held.get(r.id) ?? []));
}

/** One runner as the list shows it, with the jobs it holds now. */
/** A pool with its queue, counted from the job rows, and its online runners with what they hold. */
export async function poolDetail(db: Db, pool: PoolRow, now: Date): Promise<RunnerPoolDetail> {
  const q = await poolQueue(db, pool.id);
  const online = await onlineRunners(db, pool.id, new Date(now.getTime() - ONLINE_WINDOW_MS));
  const held = await currentJobs(
    db,
    online.map((r) => r.id),
    now,
  );
  return {
    ...toPool(pool),
    queue: {
      queued: q.queued,
      running: q.running,
      oldest_queued_at: q.oldestQueuedAt?.toISOString() ?? null,
    },
    online_runners: online.map((r) => toRunner(r, now, held.get(r.id) ?? [])),
  };
}

export async function runnerWithJobs(db: Db, runner: RunnerRow, now: Date): Promise<Runner> {
  const held = await currentJobs(db, [runner.id], now);
  return toRunner(runner, now, held.get(runner.id) ?? []);
}
