import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import {
  CdPolicy,
  ListCdPoliciesQuery,
  PutCdPolicyRequest,
  ReleaseChain,
} from '../../../shared/contracts/cd';
import { serviceCtx } from '../context';
import type { ApiEnv } from '../env';
import { notFound } from '../errors';
import type { Scope } from '../middleware/authorize';
import { validationHook } from '../middleware/errors';
import { authErrors, errorResponses, Id, IdParam, jsonBody, jsonResponse } from '../openapi';
import { findRelease } from '../releases/repo';
import { secured } from '../route';
import { releaseChain } from './chain';
import { type CdCtx, putCdPolicy, serviceFor, toCdPolicy } from './policies';
import { findCdPolicy, listCdPolicies } from './repo';

const tags = ['cd'];

const PolicyParams = z.object({
  service_id: Id.openapi({ param: { name: 'service_id', in: 'path' } }),
  environment_id: Id.openapi({ param: { name: 'environment_id', in: 'path' } }),
});

const cdCtx = (c: Context<ApiEnv>): CdCtx => ({ ...serviceCtx(c), grants: c.var.grants });

/** The service's project is only known once the service is read: the handler checks there. */
const inServiceProject: Scope = { kind: 'anywhere' };

const releaseScope: Scope = {
  kind: 'resource',
  projectOf: async (c, id) => (await findRelease(c.var.deps.database.db, id))?.projectId,
};

export const cdRoutes = new OpenAPIHono<ApiEnv>({ defaultHook: validationHook })
  .openapi(
    secured({
      method: 'put',
      path: '/cd/policies/{service_id}/{environment_id}',
      operationId: 'putCdPolicy',
      summary: 'Save what a service does with its builds in one environment',
      description:
        'Automatic actions run as the user who saves the policy, so saving needs the apply (and, with auto_rollback_on_failure, rollback) permissions of the targets’ runtimes; 403 names the missing one. approval: always asks for a ticket even where the project policy does not.',
      tags,
      permissions: ['cd:write'],
      scope: inServiceProject,
      request: { params: PolicyParams, body: jsonBody(PutCdPolicyRequest) },
      responses: { 200: jsonResponse(CdPolicy, 'The policy'), ...errorResponses(...authErrors, 404) },
    }),
    async (c) => {
      const p = c.req.valid('param');
      return c.json(await putCdPolicy(p.service_id, p.environment_id, c.req.valid('json'), cdCtx(c)), 200);
    },
  )
  .openapi(
    secured({
      method: 'get',
      path: '/cd/policies/{service_id}/{environment_id}',
      operationId: 'getCdPolicy',
      summary: 'The CD policy of a service in one environment',
      tags,
      permissions: ['ci:read'],
      scope: inServiceProject,
      request: { params: PolicyParams },
      responses: { 200: jsonResponse(CdPolicy, 'The policy'), ...errorResponses(...authErrors, 404) },
    }),
    async (c) => {
      const p = c.req.valid('param');
      const ctx = cdCtx(c);
      await serviceFor(ctx, p.service_id, 'ci:read');
      const row = await findCdPolicy(ctx.db, p.service_id, p.environment_id);
      if (!row) throw notFound('CD policy');
      return c.json(toCdPolicy(row), 200);
    },
  )
  .openapi(
    secured({
      method: 'get',
      path: '/cd/policies',
      operationId: 'listCdPolicies',
      summary: 'The CD policies of a service, one per environment that has one',
      tags,
      permissions: ['ci:read'],
      scope: inServiceProject,
      request: { query: ListCdPoliciesQuery },
      responses: {
        200: jsonResponse(z.object({ items: z.array(CdPolicy) }), 'Policies'),
        ...errorResponses(...authErrors, 404),
      },
    }),
    async (c) => {
      const ctx = cdCtx(c);
      const service = await serviceFor(ctx, c.req.valid('query').service_id, 'ci:read');
      return c.json({ items: (await listCdPolicies(ctx.db, service.id)).map(toCdPolicy) }, 200);
    },
  )
  .openapi(
    secured({
      method: 'get',
      path: '/ci/releases/{id}/chain',
      operationId: 'getReleaseChain',
      summary: 'service → build → release → ticket → decisions → actors, in one answer',
      description:
        'Needs ci:read; the release, its ticket, decisions and actors only with deploy:release:read and the runtime’s read (otherwise null / empty).',
      tags,
      permissions: ['ci:read'],
      scope: releaseScope,
      request: { params: IdParam },
      responses: { 200: jsonResponse(ReleaseChain, 'The chain'), ...errorResponses(...authErrors, 404) },
    }),
    async (c) => {
      const db = c.var.deps.database.db;
      const r = await findRelease(db, c.req.valid('param').id);
      if (!r) throw notFound('release');
      return c.json(await releaseChain(db, c.var.grants, r), 200);
    },
  );
