import type {
  CreateEnvironmentRequest,
  Environment,
  PatchEnvironmentRequest,
} from '../../../shared/contracts/projects';
import { newId } from '../../platform/ids';
import { insertAudited, recordEvent } from '../audit/writer';
import type { ServiceCtx } from '../context';
import { ApiError, assertUnused, invalid, notFound } from '../errors';
import { handWaitingJobs } from '../jobs/service';
import { findProject } from '../projects/repo';
import { assertPoolUsable } from '../runners/binding';
import {
  type EnvironmentRow,
  environmentUsers,
  findEnvironmentByName,
  insertEnvironment,
  lockEnvironment,
  updateEnvironment,
} from './repo';

export const toEnvironment = (e: EnvironmentRow): Environment => ({
  id: e.id,
  project_id: e.projectId,
  name: e.name,
  tier: e.tier,
  runner_pool_id: e.runnerPoolId,
  created_at: e.createdAt.toISOString(),
  updated_at: e.updatedAt.toISOString(),
});

const nameTaken = () =>
  new ApiError('ALREADY_EXISTS', 'the project has an environment of that name', [
    { path: 'name', message: 'already exists' },
  ]);

export async function createEnvironment(
  input: CreateEnvironmentRequest,
  ctx: ServiceCtx,
): Promise<Environment> {
  return ctx.db.transaction(async (tx) => {
    if (!(await findProject(tx, input.project_id))) throw invalid('project_id', 'no such project');
    if (await findEnvironmentByName(tx, input.project_id, input.name)) throw nameTaken();
    await assertPoolUsable(tx, input.runner_pool_id, input.project_id);
    const now = ctx.clock.now();
    const row: EnvironmentRow = {
      id: newId('env'),
      projectId: input.project_id,
      name: input.name,
      tier: input.tier,
      runnerPoolId: input.runner_pool_id ?? null,
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
    };
    await insertAudited(tx, ctx, insertEnvironment, row, {
      action: 'environment.created',
      resourceType: 'environment',
      environmentId: row.id,
      detail: { name: row.name, tier: row.tier },
    });
    return toEnvironment(row);
  });
}

export async function patchEnvironment(id: string, input: PatchEnvironmentRequest, ctx: ServiceCtx) {
  return ctx.db.transaction(async (tx) => {
    const env = await lockEnvironment(tx, id);
    if (!env) throw notFound('environment');
    if (input.name && input.name !== env.name && (await findEnvironmentByName(tx, env.projectId, input.name)))
      throw nameTaken();
    await assertPoolUsable(tx, input.runner_pool_id, env.projectId);
    const set = {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.runner_pool_id !== undefined ? { runnerPoolId: input.runner_pool_id } : {}),
    };
    const now = ctx.clock.now();
    await updateEnvironment(tx, id, set, now);
    // Jobs that waited for a pool go to the one bound now (the dispatch after the request sends them).
    const handed = input.runner_pool_id ? await handWaitingJobs(tx, id, input.runner_pool_id, now) : [];
    await recordEvent(tx, ctx.clock, {
      action: 'environment.updated',
      resourceType: 'environment',
      resourceId: id,
      projectId: env.projectId,
      environmentId: id,
      actor: ctx.actor,
      detail: { changed: input, ...(handed.length ? { jobs_assigned: handed.map((j) => j.id) } : {}) },
    });
    return toEnvironment({ ...env, ...set, updatedAt: now });
  });
}

/**
 * Soft delete (SPEC §7.0): the row stays for the releases and install tasks that name it. 409 while
 * it has live targets, a release in flight or an unfinished install task.
 */
export async function deleteEnvironment(id: string, ctx: ServiceCtx): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const env = await lockEnvironment(tx, id);
    if (!env) throw notFound('environment');
    const users = await environmentUsers(tx, id);
    assertUnused('environment', {
      'target(s)': users.targets,
      'unfinished release(s)': users.releases,
      'unfinished install task(s)': users.installTasks,
    });
    const now = ctx.clock.now();
    await updateEnvironment(tx, id, { deletedAt: now }, now);
    await recordEvent(tx, ctx.clock, {
      action: 'environment.deleted',
      resourceType: 'environment',
      resourceId: id,
      projectId: env.projectId,
      environmentId: id,
      actor: ctx.actor,
      detail: { name: env.name, tier: env.tier },
    });
  });
}
