import type {
  Cluster,
  ImportClusterRequest,
  PatchClusterRequest,
} from '../../../shared/contracts/credentials';
import { newId } from '../../platform/ids';
import { recordEvent } from '../audit/writer';
import type { ServiceCtx } from '../context';
import { queueConnectionTest } from '../credentials/connection-test';
import type { CredentialRow } from '../credentials/repo';
import { findCredentialByName } from '../credentials/repo';
import {
  type CredentialCtx,
  credentialNameTaken,
  insertSealedCredential,
  inspectOrThrow,
  refused,
  sealPayload,
  storedMetadata,
} from '../credentials/service';
import { ApiError, assertUnused, invalid, notFound } from '../errors';
import { guardClusterImport } from '../kube-access/import-guard';
import { findProject } from '../projects/repo';
import { assertPoolUsable } from '../runners/binding';
import { clusterMetadata, clusterModeOf, credentialPayloadOf, guardInputOf, toCluster } from './access';
import {
  type ClusterRow,
  clusterUsers,
  findCluster,
  findClusterByName,
  insertCluster,
  lockLiveCluster,
  updateCluster,
} from './repo';

const nameTaken = () =>
  new ApiError('ALREADY_EXISTS', 'the project has a cluster of that name', [
    { path: 'name', message: 'already exists' },
  ]);

/** The credential an import stores is named after its cluster. */
export const importedCredentialName = (clusterName: string) => `cluster.${clusterName}`;

/**
 * `POST /clusters/import`: the guard runs before anything is stored or sealed; then the
 * credential (the material exactly as imported, sealed) and the cluster are written in one
 * transaction with their audit events.
 */
export async function importCluster(input: ImportClusterRequest, ctx: CredentialCtx): Promise<Cluster> {
  const now = ctx.clock.now();
  const guard = guardClusterImport(guardInputOf(input), { now });
  if (!guard.ok) throw refused(guard);
  const { kind, payload } = credentialPayloadOf(input);
  // The guard passed, so the inspector (the same checks, as a credential) passes too.
  const context = input.mode === 'kubeconfig' ? (guard.access.context ?? undefined) : undefined;
  const inspected = await inspectOrThrow(kind, payload, now, context);

  if (!(await findProject(ctx.db, input.project_id))) throw invalid('project_id', 'no such project');
  await assertPoolUsable(ctx.db, input.runner_pool_id, input.project_id);
  if (await findClusterByName(ctx.db, input.project_id, input.name)) throw nameTaken();
  const credentialName = importedCredentialName(input.name);
  if (await findCredentialByName(ctx.db, input.project_id, credentialName)) throw credentialNameTaken();

  const mode = clusterModeOf(input.mode, guard);
  const clusterId = newId('cls');
  const base = { id: newId('cred'), projectId: input.project_id, kind };
  const credential: CredentialRow = {
    ...base,
    name: credentialName,
    metadata: storedMetadata(inspected),
    envelope: await sealPayload(ctx.keys, base, payload),
    createdBy: ctx.actor.userId,
    createdAt: now,
    updatedAt: now,
    deletedAt: null,
  };
  const cluster: ClusterRow = {
    id: clusterId,
    projectId: input.project_id,
    name: input.name,
    clusterSource: 'external_managed',
    mode,
    server: guard.access.server,
    credentialId: credential.id,
    runnerPoolId: input.runner_pool_id ?? null,
    metadata: clusterMetadata(mode, guard),
    lastTest: null,
    createdAt: now,
    updatedAt: now,
    deletedAt: null,
  };
  await ctx.db.transaction(async (tx) => {
    await insertSealedCredential(tx, ctx, credential, { cluster_id: clusterId }, 'name');
    if (!(await insertCluster(tx, cluster))) throw nameTaken();
    await recordEvent(tx, ctx.clock, {
      action: 'cluster.imported',
      resourceType: 'cluster',
      resourceId: clusterId,
      projectId: cluster.projectId,
      actor: ctx.actor,
      detail: {
        name: cluster.name,
        mode: cluster.mode,
        server: cluster.server,
        credential_id: credential.id,
        warnings: guard.warnings,
      },
    });
  });
  return toCluster(cluster, ctx.clock.now());
}

export async function testClusterConnection(id: string, ctx: ServiceCtx) {
  return ctx.db.transaction(async (tx) => {
    const cluster = await findCluster(tx, id);
    if (!cluster) throw notFound('cluster');
    return queueConnectionTest(tx, ctx, {
      kind: 'cluster_test',
      action: 'cluster.test_requested',
      resourceType: 'cluster',
      resourceId: cluster.id,
      projectId: cluster.projectId,
      runnerPoolId: cluster.runnerPoolId,
    });
  });
}

/**
 * Renames a cluster or binds it to another runner pool (same rule as the import). Its imported
 * credential keeps its name: credentials are renamed on their own.
 */
export async function patchCluster(
  id: string,
  input: PatchClusterRequest,
  ctx: ServiceCtx,
): Promise<Cluster> {
  return ctx.db.transaction(async (tx) => {
    const cluster = await lockLiveCluster(tx, id);
    if (!cluster) throw notFound('cluster');
    await assertPoolUsable(tx, input.runner_pool_id, cluster.projectId);
    if (
      input.name !== undefined &&
      input.name !== cluster.name &&
      (await findClusterByName(tx, cluster.projectId, input.name))
    )
      throw nameTaken();
    const set = {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.runner_pool_id !== undefined ? { runnerPoolId: input.runner_pool_id } : {}),
    };
    const now = ctx.clock.now();
    await updateCluster(tx, id, { ...set, updatedAt: now });
    await recordEvent(tx, ctx.clock, {
      action: 'cluster.updated',
      resourceType: 'cluster',
      resourceId: id,
      projectId: cluster.projectId,
      actor: ctx.actor,
      detail: { changed: input },
    });
    return toCluster({ ...cluster, ...set, updatedAt: now }, now);
  });
}

/**
 * Soft delete (SPEC §7.0): 409 IN_USE while a live target is on the cluster. Its credential stays
 * (delete it on its own); jobs queued before still reach the cluster.
 */
export async function deleteCluster(id: string, ctx: ServiceCtx): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const cluster = await lockLiveCluster(tx, id);
    if (!cluster) throw notFound('cluster');
    assertUnused('cluster', { 'target(s)': (await clusterUsers(tx, id)).targets });
    const now = ctx.clock.now();
    await updateCluster(tx, id, { deletedAt: now, updatedAt: now });
    await recordEvent(tx, ctx.clock, {
      action: 'cluster.deleted',
      resourceType: 'cluster',
      resourceId: id,
      projectId: cluster.projectId,
      actor: ctx.actor,
      detail: { name: cluster.name, server: cluster.server, credential_id: cluster.credentialId },
    });
  });
}
