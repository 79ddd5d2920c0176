import type { CreateTargetRequest, PatchTargetRequest, Target } from '../../../shared/contracts/deploy';
import type { FieldError } from '../../../shared/errors';
import { newId } from '../../platform/ids';
import { recordEvent } from '../audit/writer';
import type { ServiceCtx } from '../context';
import { findEnvironment } from '../environments/repo';
import { ApiError, assertUnused, notFound } from '../errors';
import { findProject } from '../projects/repo';
import {
  clusterProject,
  findTargetByName,
  hostsOfProject,
  insertTarget,
  lockLiveTarget,
  type TargetRow,
  unfinishedReleasesOn,
  updateTarget,
} from './repo';

export const toTarget = (t: TargetRow): Target => ({
  id: t.id,
  project_id: t.projectId,
  environment_id: t.environmentId,
  name: t.name,
  runtime_type: t.runtimeType,
  cluster_id: t.clusterId,
  namespace: t.namespace,
  host_ids: t.hostIds,
  compose_project: t.composeProject,
  applied_release_id: t.appliedReleaseId,
  created_at: t.createdAt.toISOString(),
  updated_at: t.updatedAt.toISOString(),
});

const nameTaken = () =>
  new ApiError('ALREADY_EXISTS', 'the project has a target of that name', [
    { path: 'name', message: 'already exists' },
  ]);

/** Every reference must name a row of the target's own project; all bad ones are reported at once. */
async function checkReferences(tx: ServiceCtx['db'], input: CreateTargetRequest): Promise<FieldError[]> {
  if (!(await findProject(tx, input.project_id))) return [{ path: 'project_id', message: 'no such project' }];
  const fields: FieldError[] = [];
  const env = await findEnvironment(tx, input.environment_id);
  if (env?.projectId !== input.project_id)
    fields.push({ path: 'environment_id', message: 'no such environment in this project' });
  if (input.runtime_type === 'k8s') {
    if ((await clusterProject(tx, input.cluster_id!)) !== input.project_id)
      fields.push({ path: 'cluster_id', message: 'no such cluster in this project' });
  } else {
    const ids = input.host_ids!;
    const known = await hostsOfProject(tx, input.project_id, ids);
    ids.forEach((id, i) => {
      if (!known.has(id)) fields.push({ path: `host_ids[${i}]`, message: 'no such host in this project' });
    });
  }
  return fields;
}

export async function createTarget(input: CreateTargetRequest, ctx: ServiceCtx): Promise<Target> {
  return ctx.db.transaction(async (tx) => {
    const fields = await checkReferences(tx, input);
    if (fields.length) throw new ApiError('VALIDATION_FAILED', 'request failed validation', fields);
    if (await findTargetByName(tx, input.project_id, input.name)) throw nameTaken();
    const k8s = input.runtime_type === 'k8s';
    const now = ctx.clock.now();
    const row: TargetRow = {
      id: newId('tgt'),
      projectId: input.project_id,
      environmentId: input.environment_id,
      name: input.name,
      runtimeType: input.runtime_type,
      clusterId: k8s ? input.cluster_id! : null,
      namespace: k8s ? input.namespace! : null,
      hostIds: k8s ? [] : input.host_ids!,
      composeProject: k8s ? null : input.compose_project!,
      appliedReleaseId: null,
      tagKeyEnvelope: null,
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
    };
    if (!(await insertTarget(tx, row))) throw nameTaken();
    await recordEvent(tx, ctx.clock, {
      action: 'target.created',
      resourceType: 'target',
      resourceId: row.id,
      projectId: row.projectId,
      environmentId: row.environmentId,
      actor: ctx.actor,
      detail: {
        name: row.name,
        runtime_type: row.runtimeType,
        ...(k8s
          ? { cluster_id: row.clusterId, namespace: row.namespace }
          : { host_ids: row.hostIds, compose_project: row.composeProject }),
      },
    });
    return toTarget(row);
  });
}

const K8S_FIELDS = ['cluster_id', 'namespace'] as const;
const COMPOSE_FIELDS = ['host_ids', 'compose_project'] as const;

/** The patch's references checked like a create's: fields of the target's runtime, rows of its project. */
async function checkPatch(
  tx: ServiceCtx['db'],
  t: TargetRow,
  input: PatchTargetRequest,
): Promise<FieldError[]> {
  const k8s = t.runtimeType === 'k8s';
  const fields: FieldError[] = (k8s ? COMPOSE_FIELDS : K8S_FIELDS)
    .filter((f) => input[f] !== undefined)
    .map((f) => ({ path: f, message: `not used by a ${t.runtimeType} target` }));
  if (input.cluster_id !== undefined && k8s && (await clusterProject(tx, input.cluster_id)) !== t.projectId)
    fields.push({ path: 'cluster_id', message: 'no such cluster in this project' });
  if (input.host_ids !== undefined && !k8s) {
    const known = await hostsOfProject(tx, t.projectId, input.host_ids);
    input.host_ids.forEach((id, i) => {
      if (!known.has(id)) fields.push({ path: `host_ids[${i}]`, message: 'no such host in this project' });
    });
  }
  return fields;
}

/**
 * Renames a target or repoints it within its runtime. Repointing while a release on it is in flight
 * is 409 IN_USE: that release was previewed and approved against what the target named then.
 */
export async function patchTarget(id: string, input: PatchTargetRequest, ctx: ServiceCtx): Promise<Target> {
  return ctx.db.transaction(async (tx) => {
    const t = await lockLiveTarget(tx, id);
    if (!t) throw notFound('target');
    const fields = await checkPatch(tx, t, input);
    if (fields.length) throw new ApiError('VALIDATION_FAILED', 'request failed validation', fields);
    if (
      input.name !== undefined &&
      input.name !== t.name &&
      (await findTargetByName(tx, t.projectId, input.name))
    )
      throw nameTaken();
    const set = {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.cluster_id !== undefined ? { clusterId: input.cluster_id } : {}),
      ...(input.namespace !== undefined ? { namespace: input.namespace } : {}),
      ...(input.host_ids !== undefined ? { hostIds: input.host_ids } : {}),
      ...(input.compose_project !== undefined ? { composeProject: input.compose_project } : {}),
    };
    const repoints = Object.keys(set).some((k) => k !== 'name');
    if (repoints) assertUnused('target', { 'unfinished release(s)': await unfinishedReleasesOn(tx, id) });
    const now = ctx.clock.now();
    await updateTarget(tx, id, { ...set, updatedAt: now });
    await recordEvent(tx, ctx.clock, {
      action: 'target.updated',
      resourceType: 'target',
      resourceId: id,
      projectId: t.projectId,
      environmentId: t.environmentId,
      actor: ctx.actor,
      detail: { changed: input },
    });
    return toTarget({ ...t, ...set, updatedAt: now });
  });
}

/** Soft delete (SPEC §7.0): its releases keep naming it; 409 while one of them is in flight. */
export async function deleteTarget(id: string, ctx: ServiceCtx): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const t = await lockLiveTarget(tx, id);
    if (!t) throw notFound('target');
    assertUnused('target', { 'unfinished release(s)': await unfinishedReleasesOn(tx, id) });
    const now = ctx.clock.now();
    await updateTarget(tx, id, { deletedAt: now, updatedAt: now });
    await recordEvent(tx, ctx.clock, {
      action: 'target.deleted',
      resourceType: 'target',
      resourceId: id,
      projectId: t.projectId,
      environmentId: t.environmentId,
      actor: ctx.actor,
      detail: { name: t.name, runtime_type: t.runtimeType },
    });
  });
}
