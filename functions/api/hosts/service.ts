import {
  type CreateHostRequest,
  type Host,
  type PatchHostRequest,
  SSH_CREDENTIAL_KINDS,
} from '../../../shared/contracts/credentials';
import type { FieldError } from '../../../shared/errors';
import type { Clock } from '../../platform/clock';
import type { Db } from '../../platform/db/types';
import { newId } from '../../platform/ids';
import { type AuditInput, recordEvent } from '../audit/writer';
import type { ServiceCtx } from '../context';
import { queueConnectionTest } from '../credentials/connection-test';
import { lockCredential } from '../credentials/repo';
import { ApiError, assertUnused, notFound } from '../errors';
import { Findings } from '../kube-access/guard-core';
import { checkHostAddress } from '../kube-access/server-address';
import { findProject } from '../projects/repo';
import { assertPoolUsable } from '../runners/binding';
import {
  findHostByName,
  type HostRow,
  hostUsers,
  insertHost,
  jumpUsers,
  lockHost,
  lockLiveHost,
  updateHost,
} from './repo';

export const toHost = (h: HostRow): Host => ({
  id: h.id,
  project_id: h.projectId,
  name: h.name,
  address: h.address,
  port: h.port,
  username: h.username,
  credential_id: h.credentialId,
  runner_pool_id: h.runnerPoolId,
  host_key_fingerprint: h.hostKeyFingerprint,
  host_key_pinned_at: h.hostKeyPinnedAt?.toISOString() ?? null,
  last_test: h.lastTest,
  jump_host_id: h.jumpHostId,
  compose: h.compose,
  created_at: h.createdAt.toISOString(),
  updated_at: h.updatedAt.toISOString(),
});

const nameTaken = () =>
  new ApiError('ALREADY_EXISTS', 'the project has a host of that name', [
    { path: 'name', message: 'already exists' },
  ]);

/** The address as the runner will dial it, or the field error (the same rules as cluster servers). */
function address(value: string, fields: FieldError[]): string | undefined {
  const f = new Findings(new Date());
  const out = checkHostAddress(f, value, 'address');
  fields.push(...f.errors);
  return out;
}

/**
 * The credential must be a live SSH credential of the host's project. It is share-locked until the
 * transaction ends, so a concurrent delete cannot slip between this check and the reference.
 */
async function checkCredential(tx: Db, projectId: string, id: string, fields: FieldError[]) {
  const c = await lockCredential(tx, id, 'share');
  if (c?.projectId !== projectId)
    fields.push({ path: 'credential_id', message: 'no such credential in this project' });
  else if (!(SSH_CREDENTIAL_KINDS as readonly string[]).includes(c.kind))
    fields.push({ path: 'credential_id', message: 'must be an ssh_private_key or ssh_password credential' });
}

/**
 * A jump host (SPEC §7.6, one hop): a live host of the same project, not the host itself, with its
 * key pinned (the runner never trusts a first key on a hop) and no jump host of its own; and a
 * host others connect through cannot take one, so no chain is ever longer than one hop. Both rows
 * are locked, so two concurrent changes cannot build a chain between them.
 */
async function checkJump(
  tx: Db,
  host: { id: string | null; projectId: string },
  jumpId: string,
  fields: FieldError[],
) {
  const path = 'jump_host_id';
  if (jumpId === host.id) return void fields.push({ path, message: 'a host cannot be its own jump host' });
  const jump = await lockLiveHost(tx, jumpId);
  if (jump?.projectId !== host.projectId)
    return void fields.push({ path, message: 'no such host in this project' });
  if (jump.jumpHostId)
    return void fields.push({ path, message: 'that host goes through a jump host itself: one hop only' });
  if (!jump.hostKeyFingerprint)
    return void fields.push({
      path,
      message: 'that host has no pinned host key yet: test its connection first',
    });
  if (host.id && (await jumpUsers(tx, host.id)).length)
    fields.push({
      path,
      message: 'other hosts connect through this one: it cannot use a jump host (one hop only)',
    });
}

const refuse = (fields: FieldError[]) => {
  if (fields.length) throw new ApiError('VALIDATION_FAILED', 'request failed validation', fields);
};

export async function createHost(input: CreateHostRequest, ctx: ServiceCtx): Promise<Host> {
  return ctx.db.transaction(async (tx) => {
    if (!(await findProject(tx, input.project_id)))
      throw new ApiError('VALIDATION_FAILED', 'request failed validation', [
        { path: 'project_id', message: 'no such project' },
      ]);
    const fields: FieldError[] = [];
    const addr = address(input.address, fields);
    await checkCredential(tx, input.project_id, input.credential_id, fields);
    if (input.jump_host_id)
      await checkJump(tx, { id: null, projectId: input.project_id }, input.jump_host_id, fields);
    refuse(fields);
    await assertPoolUsable(tx, input.runner_pool_id, input.project_id);
    if (await findHostByName(tx, input.project_id, input.name)) throw nameTaken();
    const now = ctx.clock.now();
    const row: HostRow = {
      id: newId('host'),
      projectId: input.project_id,
      name: input.name,
      address: addr!,
      port: input.port,
      username: input.username,
      credentialId: input.credential_id,
      runnerPoolId: input.runner_pool_id ?? null,
      hostKeyFingerprint: null,
      hostKeyPinnedAt: null,
      lastTest: null,
      jumpHostId: input.jump_host_id ?? null,
      compose: null,
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
    };
    if (!(await insertHost(tx, row))) throw nameTaken();
    await recordEvent(tx, ctx.clock, {
      action: 'host.created',
      resourceType: 'host',
      resourceId: row.id,
      projectId: row.projectId,
      actor: ctx.actor,
      detail: {
        name: row.name,
        address: row.address,
        port: row.port,
        username: row.username,
        credential_id: row.credentialId,
        jump_host_id: row.jumpHostId,
      },
    });
    return toHost(row);
  });
}

/**
 * A new address or port is, as far as anyone can tell, another machine: the pinned key is cleared
 * with the change (the event records the old fingerprint) and the next contact, a connection test
 * say, pins again. A rename, user or credential change keeps the pin.
 */
export async function patchHost(id: string, input: PatchHostRequest, ctx: ServiceCtx): Promise<Host> {
  return ctx.db.transaction(async (tx) => {
    // Two hosts are locked in id order, so two changes naming each other wait instead of deadlocking.
    const jumpId = input.jump_host_id;
    if (jumpId && jumpId < id) await lockLiveHost(tx, jumpId);
    const host = await lockLiveHost(tx, id);
    if (!host) throw notFound('host');
    const fields: FieldError[] = [];
    const addr = input.address === undefined ? undefined : address(input.address, fields);
    if (input.credential_id !== undefined)
      await checkCredential(tx, host.projectId, input.credential_id, fields);
    if (input.jump_host_id) await checkJump(tx, host, input.jump_host_id, fields);
    refuse(fields);
    await assertPoolUsable(tx, input.runner_pool_id, host.projectId);
    if (input.name && input.name !== host.name && (await findHostByName(tx, host.projectId, input.name)))
      throw nameTaken();
    const moved =
      (addr !== undefined && addr !== host.address) || (input.port !== undefined && input.port !== host.port);
    const unpin = moved && host.hostKeyFingerprint !== null;
    const set = {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(addr !== undefined ? { address: addr } : {}),
      ...(input.port !== undefined ? { port: input.port } : {}),
      ...(input.username !== undefined ? { username: input.username } : {}),
      ...(input.credential_id !== undefined ? { credentialId: input.credential_id } : {}),
      ...(input.runner_pool_id !== undefined ? { runnerPoolId: input.runner_pool_id } : {}),
      ...(input.jump_host_id !== undefined ? { jumpHostId: input.jump_host_id } : {}),
      ...(unpin ? { hostKeyFingerprint: null, hostKeyPinnedAt: null } : {}),
    };
    const now = ctx.clock.now();
    await updateHost(tx, id, { ...set, updatedAt: now });
    await recordEvent(tx, ctx.clock, {
      action: 'host.updated',
      resourceType: 'host',
      resourceId: id,
      projectId: host.projectId,
      actor: ctx.actor,
      detail: {
        changed: { ...input, ...(addr !== undefined ? { address: addr } : {}) },
        ...(unpin ? { host_key_cleared: { old_fingerprint: host.hostKeyFingerprint } } : {}),
      },
    });
    return toHost({ ...host, ...set, updatedAt: now });
  });
}

/**
 * Soft delete (SPEC §7.0): 409 IN_USE while a live target names the host (its releases run on it)
 * or an install task on it is unfinished. Jobs queued before still find it; new targets do not.
 */
export async function deleteHost(id: string, ctx: ServiceCtx): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const host = await lockLiveHost(tx, id);
    if (!host) throw notFound('host');
    const users = await hostUsers(tx, id);
    assertUnused('host', {
      'target(s)': users.targets,
      'unfinished install task(s)': users.installTasks,
      'host(s) connecting through it': users.jumpUsers,
    });
    const now = ctx.clock.now();
    await updateHost(tx, id, { deletedAt: now, updatedAt: now });
    await recordEvent(tx, ctx.clock, {
      action: 'host.deleted',
      resourceType: 'host',
      resourceId: id,
      projectId: host.projectId,
      actor: ctx.actor,
      detail: { name: host.name, address: host.address, port: host.port },
    });
  });
}

/** Clears a pin (the machine was rebuilt, say): the next first contact pins again. */
export async function resetHostKey(id: string, ctx: ServiceCtx): Promise<Host> {
  return ctx.db.transaction(async (tx) => {
    const host = await lockLiveHost(tx, id);
    if (!host) throw notFound('host');
    const now = ctx.clock.now();
    const set = { hostKeyFingerprint: null, hostKeyPinnedAt: null, updatedAt: now };
    await updateHost(tx, id, set);
    await recordEvent(tx, ctx.clock, {
      action: 'host.host_key_reset',
      resourceType: 'host',
      resourceId: id,
      projectId: host.projectId,
      actor: ctx.actor,
      detail: {
        old_fingerprint: host.hostKeyFingerprint,
        old_pinned_at: host.hostKeyPinnedAt?.toISOString() ?? null,
      },
    });
    return toHost({ ...host, ...set });
  });
}

/** `SHA256:` and 43 unpadded base64 characters, as `ssh-keygen -lf` prints a key's fingerprint. */
export const HOST_KEY_FINGERPRINT = /^SHA256:[A-Za-z0-9+/]{43}$/;

export type PinResult =
  | { ok: true; pinned: 'now' | 'already' }
  | { ok: false; code: 'HOST_KEY_MISMATCH'; pinned_fingerprint: string };

/**
 * What the runner part calls with the `observed_host_key` of a step: the first key a host shows is
 * pinned (audited), the same key again is fine, and any other key is `HOST_KEY_MISMATCH`.
 */
export async function pinHostKey(
  tx: Db,
  clock: Clock,
  hostId: string,
  fingerprint: string,
  actor: AuditInput['actor'] = { userId: null, source: 'runner' },
): Promise<PinResult> {
  if (!HOST_KEY_FINGERPRINT.test(fingerprint))
    throw new ApiError('VALIDATION_FAILED', 'request failed validation', [
      {
        path: 'observed_host_key',
        message: 'must be SHA256: and 43 base64 characters, as ssh-keygen -lf prints it',
      },
    ]);
  const now = clock.now();
  const host = await lockHost(tx, hostId);
  if (!host) throw notFound('host');
  if (host.hostKeyFingerprint !== null)
    return host.hostKeyFingerprint === fingerprint
      ? { ok: true, pinned: 'already' }
      : { ok: false, code: 'HOST_KEY_MISMATCH', pinned_fingerprint: host.hostKeyFingerprint };
  // The row lock above makes check-then-pin one step: of two first contacts, the second sees the pin.
  await updateHost(tx, hostId, { hostKeyFingerprint: fingerprint, hostKeyPinnedAt: now, updatedAt: now });
  await recordEvent(tx, clock, {
    action: 'host.host_key_pinned',
    resourceType: 'host',
    resourceId: hostId,
    projectId: host.projectId,
    actor,
    detail: { fingerprint },
  });
  return { ok: true, pinned: 'now' };
}

export async function testHostConnection(id: string, ctx: ServiceCtx) {
  return ctx.db.transaction(async (tx) => {
    const host = await lockLiveHost(tx, id);
    if (!host) throw notFound('host');
    return queueConnectionTest(tx, ctx, {
      kind: 'host_test',
      action: 'host.test_requested',
      resourceType: 'host',
      resourceId: host.id,
      projectId: host.projectId,
      runnerPoolId: host.runnerPoolId,
    });
  });
}
