import { OpenAPIHono, z } from '@hono/zod-openapi';
import {
  CreateEnvironmentRequest,
  Environment,
  PatchEnvironmentRequest,
} from '../../../shared/contracts/projects';
import { serviceCtx } from '../context';
import type { ApiEnv } from '../env';
import { notFound } from '../errors';
import { validationHook } from '../middleware/errors';
import { authErrors, errorResponses, IdParam, jsonBody, jsonResponse, ListQuery, listOf } from '../openapi';
import { listVisible } from '../pagination';
import { secured } from '../route';
import { findEnvironment, listEnvironments } from './repo';
import { environmentScope } from './scope';
import { createEnvironment, deleteEnvironment, patchEnvironment, toEnvironment } from './service';

const tags = ['environments'];

export const environmentsRoutes = new OpenAPIHono<ApiEnv>({ defaultHook: validationHook })
  .openapi(
    secured({
      method: 'post',
      path: '/environments',
      operationId: 'createEnvironment',
      summary: 'Create an environment in a project',
      tags,
      permissions: ['environment:write'],
      scope: { kind: 'body', field: 'project_id', absent: 'anywhere' },
      request: { body: jsonBody(CreateEnvironmentRequest) },
      responses: { 201: jsonResponse(Environment, 'The environment'), ...errorResponses(...authErrors, 409) },
    }),
    async (c) => c.json(await createEnvironment(c.req.valid('json'), serviceCtx(c)), 201),
  )
  .openapi(
    secured({
      method: 'get',
      path: '/environments',
      operationId: 'listEnvironments',
      summary: 'List environments',
      tags,
      permissions: ['environment:read'],
      scope: { kind: 'query', field: 'project_id' },
      request: { query: ListQuery.extend({ project_id: z.string().max(64).optional() }) },
      responses: { 200: jsonResponse(listOf(Environment), 'Environments'), ...errorResponses(...authErrors) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const { db } = c.var.deps.database;
      return c.json(
        await listVisible(c.var.grants, 'environment:read', q, {
          read: (w) => listEnvironments(db, { ...w, projectId: q.project_id }),
          view: toEnvironment,
        }),
        200,
      );
    },
  )
  .openapi(
    secured({
      method: 'get',
      path: '/environments/{id}',
      operationId: 'getEnvironment',
      summary: 'Get an environment',
      tags,
      permissions: ['environment:read'],
      scope: environmentScope,
      request: { params: IdParam },
      responses: { 200: jsonResponse(Environment, 'The environment'), ...errorResponses(...authErrors, 404) },
    }),
    async (c) => {
      const env = await findEnvironment(c.var.deps.database.db, c.req.valid('param').id);
      if (!env) throw notFound('environment');
      return c.json(toEnvironment(env), 200);
    },
  )
  .openapi(
    secured({
      method: 'patch',
      path: '/environments/{id}',
      operationId: 'patchEnvironment',
      summary: 'Rename an environment or bind it to a runner pool',
      tags,
      permissions: ['environment:write'],
      scope: environmentScope,
      request: { params: IdParam, body: jsonBody(PatchEnvironmentRequest) },
      responses: {
        200: jsonResponse(Environment, 'The environment'),
        ...errorResponses(...authErrors, 404, 409),
      },
    }),
    async (c) =>
      c.json(await patchEnvironment(c.req.valid('param').id, c.req.valid('json'), serviceCtx(c)), 200),
  )
  .openapi(
    secured({
      method: 'delete',
      path: '/environments/{id}',
      operationId: 'deleteEnvironment',
      summary: 'Delete an environment without targets or unfinished work (kept for history)',
      tags,
      permissions: ['environment:write'],
      scope: environmentScope,
      request: { params: IdParam },
      responses: { 204: { description: 'Deleted' }, ...errorResponses(...authErrors, 404, 409) },
    }),
    async (c) => {
      await deleteEnvironment(c.req.valid('param').id, serviceCtx(c));
      return c.body(null, 204);
    },
  );
