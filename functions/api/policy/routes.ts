import { OpenAPIHono } from '@hono/zod-openapi';
import { Policy, PutPolicyRequest } from '../../../shared/policy';
import { serviceCtx } from '../context';
import type { ApiEnv } from '../env';
import type { Scope } from '../middleware/authorize';
import { validationHook } from '../middleware/errors';
import { authErrors, errorResponses, IdParam, jsonBody, jsonResponse } from '../openapi';
import { findProject } from '../projects/repo';
import { secured } from '../route';
import { policyOf, putPolicy } from './service';

const projectScope: Scope = {
  kind: 'resource',
  projectOf: async (c, id) => (await findProject(c.var.deps.database.db, id))?.id,
};

export const policyRoutes = new OpenAPIHono<ApiEnv>({ defaultHook: validationHook })
  .openapi(
    secured({
      method: 'get',
      path: '/projects/{id}/policy',
      operationId: 'getProjectPolicy',
      summary: 'The approval policy of a project',
      tags: ['approvals'],
      permissions: ['project:read'],
      scope: projectScope,
      request: { params: IdParam },
      responses: { 200: jsonResponse(Policy, 'The policy'), ...errorResponses(...authErrors, 404) },
    }),
    async (c) => c.json(await policyOf(c.var.deps.database.db, c.req.valid('param').id), 200),
  )
  .openapi(
    secured({
      method: 'put',
      path: '/projects/{id}/policy',
      operationId: 'putProjectPolicy',
      summary: 'Change the approval policy of a project (merges the fields given)',
      tags: ['approvals'],
      permissions: ['policy:write'],
      scope: projectScope,
      request: { params: IdParam, body: jsonBody(PutPolicyRequest) },
      responses: { 200: jsonResponse(Policy, 'The policy now'), ...errorResponses(...authErrors, 404) },
    }),
    async (c) => c.json(await putPolicy(c.req.valid('param').id, c.req.valid('json'), serviceCtx(c)), 200),
  );
