import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { ZodError } from 'zod';
import {
  CreateServiceRequest,
  ListServicesQuery,
  PatchServiceRequest,
  Service,
  ServiceVariables,
  TOO_LARGE,
} from '../../../shared/contracts/deploy';
import { serviceCtx } from '../context';
import type { ApiEnv } from '../env';
import { ApiError, notFound } from '../errors';
import type { Scope } from '../middleware/authorize';
import { fieldPath, validationHook } from '../middleware/errors';
import {
  authErrors,
  errorResponses,
  Id,
  IdParam,
  jsonBody,
  jsonResponse,
  ListQuery,
  listOf,
} from '../openapi';
import { listVisible } from '../pagination';
import { secured } from '../route';
import { findService, listServices } from './repo';
import { createService, deleteService, patchService, toService } from './service';
import { serviceVariables } from './variables';

const tags = ['services'];

/** Permissions on `/services/:id` apply in that service's project. */
export const serviceScope: Scope = {
  kind: 'resource',
  projectOf: async (c, id) => (await findService(c.var.deps.database.db, id))?.projectId,
};

/** SPEC §3: an oversized template is 413, whatever else is wrong with the body. */
function templateHook(result: { success: boolean; error?: ZodError }, c: Context): undefined {
  const tooLarge = (result.error?.issues ?? []).filter(
    (i) => i.code === 'custom' && (i.params as { reason?: unknown } | undefined)?.reason === TOO_LARGE,
  );
  if (tooLarge.length)
    throw new ApiError(
      'PAYLOAD_TOO_LARGE',
      'a template is larger than 512 KiB',
      tooLarge.map((i) => ({ path: fieldPath(i.path), message: i.message })),
    );
  validationHook(result, c);
  return undefined;
}

export const servicesRoutes = new OpenAPIHono<ApiEnv>({ defaultHook: validationHook })
  .openapi(
    secured({
      method: 'post',
      path: '/services',
      operationId: 'createService',
      summary: 'Create a service: its Kubernetes and/or compose template',
      tags,
      permissions: ['service:write'],
      scope: { kind: 'body', field: 'project_id', absent: 'anywhere' },
      request: { body: jsonBody(CreateServiceRequest) },
      responses: { 201: jsonResponse(Service, 'The service'), ...errorResponses(...authErrors, 409, 413) },
    }),
    async (c) => c.json(await createService(c.req.valid('json'), serviceCtx(c)), 201),
    templateHook,
  )
  .openapi(
    secured({
      method: 'get',
      path: '/services',
      operationId: 'listServices',
      summary: 'List services',
      tags,
      permissions: ['service:read'],
      scope: { kind: 'query', field: 'project_id' },
      request: { query: ListQuery.extend(ListServicesQuery.shape) },
      responses: { 200: jsonResponse(listOf(Service), 'Services'), ...errorResponses(...authErrors) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const { db } = c.var.deps.database;
      return c.json(
        await listVisible(c.var.grants, 'service:read', q, {
          read: (w) => listServices(db, { ...w, projectId: q.project_id }),
          view: toService,
        }),
        200,
      );
    },
  )
  .openapi(
    secured({
      method: 'get',
      path: '/services/{id}',
      operationId: 'getService',
      summary: 'Get a service',
      tags,
      permissions: ['service:read'],
      scope: serviceScope,
      request: { params: IdParam },
      responses: { 200: jsonResponse(Service, 'The service'), ...errorResponses(...authErrors, 404) },
    }),
    async (c) => {
      const service = await findService(c.var.deps.database.db, c.req.valid('param').id);
      if (!service) throw notFound('service');
      return c.json(toService(service), 200);
    },
  )
  .openapi(
    secured({
      method: 'get',
      path: '/services/{id}/variables',
      operationId: 'getServiceVariables',
      summary:
        'The placeholders the service uses on a target, which are secret, and the values of the target’s applied release of this service (secrets as ***)',
      description:
        'Needs service:read and target:read. An unknown target is 404; a target of another project, or of a runtime the service has no template for, is 422.',
      tags,
      permissions: ['service:read'],
      scope: serviceScope,
      request: { params: IdParam, query: z.object({ target_id: Id }) },
      responses: {
        200: jsonResponse(ServiceVariables, 'The variables'),
        ...errorResponses(...authErrors, 404),
      },
    }),
    async (c) =>
      c.json(
        await serviceVariables(c.req.valid('param').id, c.req.valid('query').target_id, {
          db: c.var.deps.database.db,
          grants: c.var.grants,
        }),
        200,
      ),
  )
  .openapi(
    secured({
      method: 'patch',
      path: '/services/{id}',
      operationId: 'patchService',
      summary: "Change a service's name, templates, secret variables or description",
      tags,
      permissions: ['service:write'],
      scope: serviceScope,
      request: { params: IdParam, body: jsonBody(PatchServiceRequest) },
      responses: {
        200: jsonResponse(Service, 'The service'),
        ...errorResponses(...authErrors, 404, 409, 413),
      },
    }),
    async (c) => c.json(await patchService(c.req.valid('param').id, c.req.valid('json'), serviceCtx(c)), 200),
    templateHook,
  )
  .openapi(
    secured({
      method: 'delete',
      path: '/services/{id}',
      operationId: 'deleteService',
      summary: 'Delete a service no release is in flight for (kept for the releases that name it)',
      tags,
      permissions: ['service:write'],
      scope: serviceScope,
      request: { params: IdParam },
      responses: { 204: { description: 'Deleted' }, ...errorResponses(...authErrors, 404, 409) },
    }),
    async (c) => {
      await deleteService(c.req.valid('param').id, serviceCtx(c));
      return c.body(null, 204);
    },
  );
