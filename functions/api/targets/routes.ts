import { OpenAPIHono } from '@hono/zod-openapi';
import {
  CreateTargetRequest,
  ListTargetsQuery,
  PatchTargetRequest,
  Target,
} from '../../../shared/contracts/deploy';
import { serviceCtx } from '../context';
import type { ApiEnv } from '../env';
import { notFound } from '../errors';
import type { Scope } from '../middleware/authorize';
import { validationHook } from '../middleware/errors';
import { authErrors, errorResponses, IdParam, jsonBody, jsonResponse, ListQuery, listOf } from '../openapi';
import { listVisible } from '../pagination';
import { secured } from '../route';
import { findTarget, listTargets } from './repo';
import { createTarget, deleteTarget, patchTarget, toTarget } from './service';

const tags = ['targets'];

/** Permissions on `/deploy/targets/:id` apply in that target's project. */
export const targetScope: Scope = {
  kind: 'resource',
  projectOf: async (c, id) => (await findTarget(c.var.deps.database.db, id))?.projectId,
};

export const targetsRoutes = new OpenAPIHono<ApiEnv>({ defaultHook: validationHook })
  .openapi(
    secured({
      method: 'post',
      path: '/deploy/targets',
      operationId: 'createTarget',
      summary: 'Create a deploy target: a cluster namespace or a set of compose hosts',
      tags,
      permissions: ['target:write'],
      scope: { kind: 'body', field: 'project_id', absent: 'anywhere' },
      request: { body: jsonBody(CreateTargetRequest) },
      responses: { 201: jsonResponse(Target, 'The target'), ...errorResponses(...authErrors, 409) },
    }),
    async (c) => c.json(await createTarget(c.req.valid('json'), serviceCtx(c)), 201),
  )
  .openapi(
    secured({
      method: 'get',
      path: '/deploy/targets',
      operationId: 'listTargets',
      summary: 'List deploy targets',
      tags,
      permissions: ['target:read'],
      scope: { kind: 'query', field: 'project_id' },
      request: { query: ListQuery.extend(ListTargetsQuery.shape) },
      responses: { 200: jsonResponse(listOf(Target), 'Targets'), ...errorResponses(...authErrors) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const { db } = c.var.deps.database;
      return c.json(
        await listVisible(c.var.grants, 'target:read', q, {
          read: (w) =>
            listTargets(db, {
              ...w,
              projectId: q.project_id,
              environmentId: q.environment_id,
              runtimeType: q.runtime_type,
            }),
          view: toTarget,
        }),
        200,
      );
    },
  )
  .openapi(
    secured({
      method: 'get',
      path: '/deploy/targets/{id}',
      operationId: 'getTarget',
      summary: 'Get a deploy target',
      tags,
      permissions: ['target:read'],
      scope: targetScope,
      request: { params: IdParam },
      responses: { 200: jsonResponse(Target, 'The target'), ...errorResponses(...authErrors, 404) },
    }),
    async (c) => {
      const target = await findTarget(c.var.deps.database.db, c.req.valid('param').id);
      if (!target) throw notFound('target');
      return c.json(toTarget(target), 200);
    },
  )
  .openapi(
    secured({
      method: 'patch',
      path: '/deploy/targets/{id}',
      operationId: 'patchTarget',
      summary: 'Rename a target or repoint it within its runtime (409 while a release on it is in flight)',
      tags,
      permissions: ['target:write'],
      scope: targetScope,
      request: { params: IdParam, body: jsonBody(PatchTargetRequest) },
      responses: { 200: jsonResponse(Target, 'The target'), ...errorResponses(...authErrors, 404, 409) },
    }),
    async (c) => c.json(await patchTarget(c.req.valid('param').id, c.req.valid('json'), serviceCtx(c)), 200),
  )
  .openapi(
    secured({
      method: 'delete',
      path: '/deploy/targets/{id}',
      operationId: 'deleteTarget',
      summary: 'Delete a target no release is in flight on (kept for the releases that name it)',
      tags,
      permissions: ['target:write'],
      scope: targetScope,
      request: { params: IdParam },
      responses: { 204: { description: 'Deleted' }, ...errorResponses(...authErrors, 404, 409) },
    }),
    async (c) => {
      await deleteTarget(c.req.valid('param').id, serviceCtx(c));
      return c.body(null, 204);
    },
  );
