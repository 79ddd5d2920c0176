import { OpenAPIHono } from '@hono/zod-openapi';
import { CreateProjectRequest, PatchProjectRequest, Project } from '../../../shared/contracts/projects';
import { serviceCtx } from '../context';
import type { ApiEnv } from '../env';
import { notFound } from '../errors';
import type { Scope } from '../middleware/authorize';
import { validationHook } from '../middleware/errors';
import { authErrors, errorResponses, IdParam, jsonBody, jsonResponse, ListQuery, listOf } from '../openapi';
import { listVisible } from '../pagination';
import { secured } from '../route';
import { findProject, listProjects } from './repo';
import { createProject, deleteProject, patchProject, toProject } from './service';

const tags = ['projects'];

/** Permissions on `/projects/:id` apply in that project; a deleted one is a 404. */
const projectScope: Scope = {
  kind: 'resource',
  projectOf: async (c, id) => (await findProject(c.var.deps.database.db, id))?.id,
};

export const projectsRoutes = new OpenAPIHono<ApiEnv>({ defaultHook: validationHook })
  .openapi(
    secured({
      method: 'post',
      path: '/projects',
      operationId: 'createProject',
      summary: 'Create a project',
      tags,
      permissions: ['project:write'],
      scope: { kind: 'global' },
      request: { body: jsonBody(CreateProjectRequest) },
      responses: { 201: jsonResponse(Project, 'The project'), ...errorResponses(...authErrors, 409) },
    }),
    async (c) => c.json(await createProject(c.req.valid('json'), serviceCtx(c)), 201),
  )
  .openapi(
    secured({
      method: 'get',
      path: '/projects',
      operationId: 'listProjects',
      summary: 'List the projects the caller can read',
      tags,
      permissions: ['project:read'],
      scope: { kind: 'query', field: 'project_id' },
      request: { query: ListQuery },
      responses: { 200: jsonResponse(listOf(Project), 'Projects'), ...errorResponses(...authErrors) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const { db } = c.var.deps.database;
      return c.json(
        await listVisible(c.var.grants, 'project:read', q, {
          read: (w) => listProjects(db, w),
          view: toProject,
        }),
        200,
      );
    },
  )
  .openapi(
    secured({
      method: 'get',
      path: '/projects/{id}',
      operationId: 'getProject',
      summary: 'Get a project',
      tags,
      permissions: ['project:read'],
      scope: projectScope,
      request: { params: IdParam },
      responses: { 200: jsonResponse(Project, 'The project'), ...errorResponses(...authErrors, 404) },
    }),
    async (c) => {
      const project = await findProject(c.var.deps.database.db, c.req.valid('param').id);
      if (!project) throw notFound('project');
      return c.json(toProject(project), 200);
    },
  )
  .openapi(
    secured({
      method: 'patch',
      path: '/projects/{id}',
      operationId: 'patchProject',
      summary: 'Rename a project',
      tags,
      permissions: ['project:write'],
      scope: projectScope,
      request: { params: IdParam, body: jsonBody(PatchProjectRequest) },
      responses: { 200: jsonResponse(Project, 'The project'), ...errorResponses(...authErrors, 404, 409) },
    }),
    async (c) => c.json(await patchProject(c.req.valid('param').id, c.req.valid('json'), serviceCtx(c)), 200),
  )
  .openapi(
    secured({
      method: 'delete',
      path: '/projects/{id}',
      operationId: 'deleteProject',
      summary: 'Delete a project without environments or unfinished work (kept for history)',
      tags,
      permissions: ['project:write'],
      scope: projectScope,
      request: { params: IdParam },
      responses: { 204: { description: 'Deleted' }, ...errorResponses(...authErrors, 404, 409) },
    }),
    async (c) => {
      await deleteProject(c.req.valid('param').id, serviceCtx(c));
      return c.body(null, 204);
    },
  );
