import type { CreateProjectRequest, PatchProjectRequest, Project } from '../../../shared/contracts/projects';
import { newId } from '../../platform/ids';
import { insertAudited, recordEvent } from '../audit/writer';
import type { ServiceCtx } from '../context';
import { ApiError, assertUnused, notFound } from '../errors';
import {
  findProjectByName,
  insertProject,
  lockProject,
  type ProjectRow,
  projectUsers,
  updateProject,
} from './repo';

export const toProject = (p: ProjectRow): Project => ({
  id: p.id,
  name: p.name,
  created_at: p.createdAt.toISOString(),
});

const nameTaken = () =>
  new ApiError('ALREADY_EXISTS', 'project exists', [{ path: 'name', message: 'already exists' }]);

export async function createProject(input: CreateProjectRequest, ctx: ServiceCtx): Promise<Project> {
  return ctx.db.transaction(async (tx) => {
    if (await findProjectByName(tx, input.name)) throw nameTaken();
    const row: ProjectRow = {
      id: newId('prj'),
      name: input.name,
      createdAt: ctx.clock.now(),
      deletedAt: null,
    };
    await insertAudited(tx, ctx, insertProject, row, {
      action: 'project.created',
      resourceType: 'project',
      projectId: row.id,
      detail: { name: row.name },
    });
    return toProject(row);
  });
}

/** Renames a project; its id (which every child names) never changes. */
export async function patchProject(
  id: string,
  input: PatchProjectRequest,
  ctx: ServiceCtx,
): Promise<Project> {
  return ctx.db.transaction(async (tx) => {
    const p = await lockProject(tx, id);
    if (!p) throw notFound('project');
    if (input.name !== p.name && (await findProjectByName(tx, input.name))) throw nameTaken();
    await updateProject(tx, id, { name: input.name });
    await recordEvent(tx, ctx.clock, {
      action: 'project.updated',
      resourceType: 'project',
      resourceId: id,
      projectId: id,
      actor: ctx.actor,
      detail: { name: input.name, previous: { name: p.name } },
    });
    return toProject({ ...p, name: input.name });
  });
}

/** Soft delete (SPEC §7.0): 409 while the project has live environments or unfinished work. */
export async function deleteProject(id: string, ctx: ServiceCtx): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const p = await lockProject(tx, id);
    if (!p) throw notFound('project');
    const users = await projectUsers(tx, id);
    assertUnused('project', {
      'environment(s)': users.environments,
      'unfinished release(s)': users.releases,
      'unfinished install task(s)': users.installTasks,
    });
    await updateProject(tx, id, { deletedAt: ctx.clock.now() });
    await recordEvent(tx, ctx.clock, {
      action: 'project.deleted',
      resourceType: 'project',
      resourceId: id,
      projectId: id,
      actor: ctx.actor,
      detail: { name: p.name },
    });
  });
}
