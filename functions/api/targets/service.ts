import type { CreateTargetRequest, Target } from '../../../shared/contracts/deploy';
import type { FieldError } from '../../../shared/errors';
import { newId } from '../../platform/ids';
import { recordEvent } from '../audit/writer';
import type { ServiceCtx } from '../context';
import { findEnvironment } from '../environments/repo';
import { ApiError } from '../errors';
import { findProject } from '../projects/repo';
import { clusterProject, findTargetByName, hostsOfProject, insertTarget, type TargetRow } from './repo';

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
