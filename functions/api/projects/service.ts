import type { CreateProjectRequest, Project } from '../../../shared/contracts/projects';
import { newId } from '../../platform/ids';
import { insertAudited } from '../audit/writer';
import type { ServiceCtx } from '../context';
import { ApiError } from '../errors';
import { findProjectByName, insertProject, type ProjectRow } from './repo';

export const toProject = (p: ProjectRow): Project => ({
  id: p.id,
  name: p.name,
  created_at: p.createdAt.toISOString(),
});

export async function createProject(input: CreateProjectRequest, ctx: ServiceCtx): Promise<Project> {
  return ctx.db.transaction(async (tx) => {
    if (await findProjectByName(tx, input.name))
      throw new ApiError('ALREADY_EXISTS', 'project exists', [{ path: 'name', message: 'already exists' }]);
    const row: ProjectRow = { id: newId('prj'), name: input.name, createdAt: ctx.clock.now() };
    await insertAudited(tx, ctx, insertProject, row, {
      action: 'project.created',
      resourceType: 'project',
      projectId: row.id,
      detail: { name: row.name },
    });
    return toProject(row);
  });
}
