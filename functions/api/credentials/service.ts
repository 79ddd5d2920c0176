import type {
  CreateCredentialRequest,
  Credential,
  CredentialKind,
  RotateCredentialRequest,
} from '../../../shared/contracts/credentials';
import type { StoredEnvelope } from '../../platform/db/schema/credentials';
import type { Db } from '../../platform/db/types';
import { newId } from '../../platform/ids';
import { open, seal } from '../../platform/keys/envelope';
import { SHREDDED_ENVELOPE } from '../../platform/keys/sealed-secret';
import type { EncryptionContext, KeyProvider } from '../../platform/keys/types';
import { recordEvent } from '../audit/writer';
import { recheckClusters } from '../clusters/rotation';
import type { ServiceCtx } from '../context';
import { ApiError, invalid, notFound } from '../errors';
import { findProject } from '../projects/repo';
import { type InspectResult, inspectCredential, loadKeyParser } from './inspect';
import {
  type CredentialRow,
  credentialUsers,
  findCredential,
  findCredentialByName,
  insertCredential,
  lockCredential,
  updateCredential,
} from './repo';

/** What credential services need beyond a request's basics: the key provider. */
export type CredentialCtx = ServiceCtx & { keys: KeyProvider };

/** The context every credential envelope is bound to: moved to another row, it does not open. */
export const credentialContext = (
  c: Pick<CredentialRow, 'id' | 'projectId' | 'kind'>,
): EncryptionContext => ({
  purpose: 'credential',
  project_id: c.projectId,
  credential_id: c.id,
  kind: c.kind,
});

export function toCredential(c: CredentialRow): Credential {
  const { kind: _kind, fingerprint, ...metadata } = c.metadata;
  return {
    id: c.id,
    project_id: c.projectId,
    name: c.name,
    kind: c.kind,
    fingerprint: typeof fingerprint === 'string' ? fingerprint : null,
    metadata,
    created_at: c.createdAt.toISOString(),
    updated_at: c.updatedAt.toISOString(),
  };
}

/** The stored (and returned) description of a payload: the inspector's metadata and its warnings. */
export function storedMetadata(r: Extract<InspectResult, { ok: true }>): Record<string, unknown> {
  return { ...r.metadata, warnings: r.warnings };
}

/** 413 when a value is over its limit, 422 naming every bad field otherwise. */
export function refused(r: { tooLarge: boolean; fields: { path: string; message: string }[] }): ApiError {
  return r.tooLarge
    ? new ApiError('PAYLOAD_TOO_LARGE', 'a value is larger than its limit', r.fields)
    : new ApiError('VALIDATION_FAILED', 'request failed validation', r.fields);
}

export async function inspectOrThrow(
  kind: CredentialKind,
  payload: unknown,
  now: Date,
  context?: string,
): Promise<Extract<InspectResult, { ok: true }>> {
  await loadKeyParser();
  const r = inspectCredential(kind, payload, { now, context });
  if (!r.ok) throw refused(r);
  return r;
}

/** One data key, one KMS call: the payload exactly as given, so a reveal returns what was stored. */
export async function sealPayload(
  keys: KeyProvider,
  c: Pick<CredentialRow, 'id' | 'projectId' | 'kind'>,
  payload: unknown,
): Promise<StoredEnvelope> {
  const plain = Buffer.from(JSON.stringify(payload), 'utf8');
  try {
    return await seal(keys, plain, credentialContext(c));
  } finally {
    plain.fill(0);
  }
}

export async function openPayload(keys: KeyProvider, c: CredentialRow): Promise<Record<string, unknown>> {
  const plain = await open(keys, c.envelope as never, credentialContext(c));
  try {
    return JSON.parse(plain.toString('utf8')) as Record<string, unknown>;
  } finally {
    plain.fill(0);
  }
}

export const credentialNameTaken = (path = 'name') =>
  new ApiError('ALREADY_EXISTS', 'the project has a credential of that name', [
    { path, message: 'already exists' },
  ]);

/**
 * Inserts a sealed credential with its audit event, inside the caller's transaction (a cluster
 * import stores its credential and its cluster together).
 */
export async function insertSealedCredential(
  tx: Db,
  ctx: ServiceCtx,
  row: CredentialRow,
  detail: Record<string, unknown> = {},
  namePath = 'name',
): Promise<void> {
  if (!(await insertCredential(tx, row))) throw credentialNameTaken(namePath);
  await recordEvent(tx, ctx.clock, {
    action: 'credential.created',
    resourceType: 'credential',
    resourceId: row.id,
    projectId: row.projectId,
    actor: ctx.actor,
    detail: { name: row.name, kind: row.kind, fingerprint: toCredential(row).fingerprint, ...detail },
  });
}

export async function createCredential(
  input: CreateCredentialRequest,
  ctx: CredentialCtx,
): Promise<Credential> {
  // Every check that needs no key comes first, so a refused request costs no KMS call.
  const inspected = await inspectOrThrow(input.kind, input.payload, ctx.clock.now());
  if (!(await findProject(ctx.db, input.project_id))) throw invalid('project_id', 'no such project');
  if (await findCredentialByName(ctx.db, input.project_id, input.name)) throw credentialNameTaken();
  const now = ctx.clock.now();
  const base = { id: newId('cred'), projectId: input.project_id, kind: input.kind };
  const row: CredentialRow = {
    ...base,
    name: input.name,
    metadata: storedMetadata(inspected),
    envelope: await sealPayload(ctx.keys, base, input.payload),
    createdBy: ctx.actor.userId,
    createdAt: now,
    updatedAt: now,
    deletedAt: null,
  };
  await ctx.db.transaction((tx) => insertSealedCredential(tx, ctx, row));
  return toCredential(row);
}

/**
 * A kubeconfig stored without a current-context (a cluster import chose the context) keeps being
 * described with the context it was stored with.
 */
function storedContext(c: CredentialRow): string | undefined {
  const kc = c.metadata.kubeconfig as { context?: string; current_context?: string | null } | undefined;
  return kc && kc.current_context === null ? kc.context : undefined;
}

/**
 * New material of the same kind. A credential a cluster uses must still give access to that
 * cluster's server (the cluster's description is refreshed from it in the same transaction).
 */
export async function rotateCredential(
  id: string,
  input: RotateCredentialRequest,
  ctx: CredentialCtx,
): Promise<Credential> {
  const current = await findCredential(ctx.db, id);
  if (!current) throw notFound('credential');
  const inspected = await inspectOrThrow(
    current.kind,
    input.payload,
    ctx.clock.now(),
    storedContext(current),
  );
  const envelope = await sealPayload(ctx.keys, current, input.payload);
  return ctx.db.transaction(async (tx) => {
    const locked = await lockCredential(tx, id, 'update');
    if (!locked) throw notFound('credential');
    const clusterIds = await recheckClusters(tx, ctx.clock, locked, input.payload);
    const set = { envelope, metadata: storedMetadata(inspected), updatedAt: ctx.clock.now() };
    await updateCredential(tx, id, set);
    const after = { ...locked, ...set };
    await recordEvent(tx, ctx.clock, {
      action: 'credential.rotated',
      resourceType: 'credential',
      resourceId: id,
      projectId: locked.projectId,
      actor: ctx.actor,
      detail: {
        name: locked.name,
        kind: locked.kind,
        old_fingerprint: toCredential(locked).fingerprint,
        fingerprint: toCredential(after).fingerprint,
        clusters_refreshed: clusterIds,
      },
    });
    return toCredential(after);
  });
}

/**
 * Soft delete: the row stays for the audit trail and its name is free again, but the envelope is
 * replaced, so the secret cannot be recovered from the database afterwards. 409 while a host or a
 * cluster references it.
 */
export async function deleteCredential(id: string, ctx: ServiceCtx): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const c = await lockCredential(tx, id, 'update');
    if (!c) throw notFound('credential');
    const users = await credentialUsers(tx, id);
    if (users.hosts || users.clusters || users.pipelines)
      throw new ApiError(
        'IN_USE',
        `the credential is used by ${users.hosts} host(s), ${users.clusters} cluster(s) and ${users.pipelines} CI pipeline(s)`,
      );
    const now = ctx.clock.now();
    await updateCredential(tx, id, { deletedAt: now, updatedAt: now, envelope: SHREDDED_ENVELOPE });
    await recordEvent(tx, ctx.clock, {
      action: 'credential.deleted',
      resourceType: 'credential',
      resourceId: id,
      projectId: c.projectId,
      actor: ctx.actor,
      detail: { name: c.name, kind: c.kind },
    });
  });
}
