import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import {
  CreateEndpointRequest,
  Delivery,
  Endpoint,
  EndpointWithSecret,
  ListDeliveriesQuery,
  ListEndpointsQuery,
  PatchEndpointRequest,
} from '../../../shared/contracts/notifications';
import { serviceCtx } from '../context';
import type { ApiEnv } from '../env';
import { notFound } from '../errors';
import type { Scope } from '../middleware/authorize';
import { validationHook } from '../middleware/errors';
import { authErrors, errorResponses, IdParam, jsonBody, jsonResponse, ListQuery, listOf } from '../openapi';
import { listVisible } from '../pagination';
import { secured } from '../route';
import { redeliver, toDelivery } from './deliveries';
import {
  createEndpoint,
  deleteEndpoint,
  type EndpointCtx,
  patchEndpoint,
  rotateEndpointSecret,
  toEndpoint,
} from './endpoints';
import { findDelivery, findEndpoint, listDeliveries, listEndpoints } from './repo';

const tags = ['notifications'];

const endpointCtx = (c: Context<ApiEnv>): EndpointCtx => ({
  ...serviceCtx(c),
  keys: c.var.deps.keys,
  outbound: c.var.deps.config.outbound,
  lookup: c.var.deps.outboundLookup,
});

/** Permissions on an endpoint or a delivery apply in its project. */
const endpointScope: Scope = {
  kind: 'resource',
  projectOf: async (c, id) => (await findEndpoint(c.var.deps.database.db, id))?.projectId,
};
const deliveryScope: Scope = {
  kind: 'resource',
  projectOf: async (c, id) => (await findDelivery(c.var.deps.database.db, id))?.projectId,
};

export const notificationsRoutes = new OpenAPIHono<ApiEnv>({ defaultHook: validationHook })
  .openapi(
    secured({
      method: 'post',
      path: '/notifications/endpoints',
      operationId: 'createNotificationEndpoint',
      summary: "Send a project's audit events to a URL; the signing secret is in this answer only",
      description: [
        '`events` are audit event names or prefixes (`release.*`, `approval.*`,',
        '`environment.install_*`, `install_task.*`, `build.*`). The URL must not resolve to a',
        'link-local or metadata address, nor (where `K8SM_OUTBOUND_ALLOW_PRIVATE` is false) to a',
        'loopback or private one outside `K8SM_NOTIFY_ALLOW_CIDRS`.',
      ].join(' '),
      tags,
      permissions: ['notification:write'],
      scope: { kind: 'body', field: 'project_id', absent: 'anywhere' },
      request: { body: jsonBody(CreateEndpointRequest) },
      responses: {
        201: jsonResponse(EndpointWithSecret, 'The endpoint, with its signing secret (shown once)'),
        ...errorResponses(...authErrors),
      },
    }),
    async (c) => c.json(await createEndpoint(c.req.valid('json'), endpointCtx(c)), 201),
  )
  .openapi(
    secured({
      method: 'get',
      path: '/notifications/endpoints',
      operationId: 'listNotificationEndpoints',
      summary: 'List notification endpoints',
      tags,
      permissions: ['notification:read'],
      scope: { kind: 'query', field: 'project_id' },
      request: { query: ListQuery.extend(ListEndpointsQuery.shape) },
      responses: { 200: jsonResponse(listOf(Endpoint), 'Endpoints'), ...errorResponses(...authErrors) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const { db } = c.var.deps.database;
      return c.json(
        await listVisible(c.var.grants, 'notification:read', q, {
          read: (w) => listEndpoints(db, { ...w, projectId: q.project_id }),
          view: toEndpoint,
        }),
        200,
      );
    },
  )
  .openapi(
    secured({
      method: 'get',
      path: '/notifications/endpoints/{id}',
      operationId: 'getNotificationEndpoint',
      summary: 'Get a notification endpoint (never its secret)',
      tags,
      permissions: ['notification:read'],
      scope: endpointScope,
      request: { params: IdParam },
      responses: { 200: jsonResponse(Endpoint, 'The endpoint'), ...errorResponses(...authErrors, 404) },
    }),
    async (c) => {
      const row = await findEndpoint(c.var.deps.database.db, c.req.valid('param').id);
      if (!row) throw notFound('notification endpoint');
      return c.json(toEndpoint(row), 200);
    },
  )
  .openapi(
    secured({
      method: 'patch',
      path: '/notifications/endpoints/{id}',
      operationId: 'patchNotificationEndpoint',
      summary: "Change an endpoint's URL or events",
      tags,
      permissions: ['notification:write'],
      scope: endpointScope,
      request: { params: IdParam, body: jsonBody(PatchEndpointRequest) },
      responses: { 200: jsonResponse(Endpoint, 'The endpoint'), ...errorResponses(...authErrors, 404) },
    }),
    async (c) =>
      c.json(await patchEndpoint(c.req.valid('param').id, c.req.valid('json'), endpointCtx(c)), 200),
  )
  .openapi(
    secured({
      method: 'delete',
      path: '/notifications/endpoints/{id}',
      operationId: 'deleteNotificationEndpoint',
      summary: 'Delete an endpoint: nothing more is sent to it, its deliveries stay listed',
      tags,
      permissions: ['notification:write'],
      scope: endpointScope,
      request: { params: IdParam },
      responses: { 204: { description: 'Deleted' }, ...errorResponses(...authErrors, 404) },
    }),
    async (c) => {
      await deleteEndpoint(c.req.valid('param').id, endpointCtx(c));
      return c.body(null, 204);
    },
  )
  .openapi(
    secured({
      method: 'post',
      path: '/notifications/endpoints/{id}/rotate-secret',
      operationId: 'rotateNotificationEndpointSecret',
      summary: 'Replace the signing secret; the new one is in this answer only',
      tags,
      permissions: ['notification:write'],
      scope: endpointScope,
      request: { params: IdParam },
      responses: {
        200: jsonResponse(EndpointWithSecret, 'The endpoint, with its new signing secret (shown once)'),
        ...errorResponses(...authErrors, 404),
      },
    }),
    async (c) => c.json(await rotateEndpointSecret(c.req.valid('param').id, endpointCtx(c)), 200),
  )
  .openapi(
    secured({
      method: 'get',
      path: '/notifications/deliveries',
      operationId: 'listNotificationDeliveries',
      summary: 'List deliveries, e.g. the failed ones (`status=failed`)',
      tags,
      permissions: ['notification:read'],
      scope: { kind: 'query', field: 'project_id' },
      request: { query: ListQuery.extend(ListDeliveriesQuery.shape) },
      responses: { 200: jsonResponse(listOf(Delivery), 'Deliveries'), ...errorResponses(...authErrors) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const { db } = c.var.deps.database;
      return c.json(
        await listVisible(c.var.grants, 'notification:read', q, {
          read: (w) =>
            listDeliveries(db, {
              ...w,
              projectId: q.project_id,
              endpointId: q.endpoint_id,
              status: q.status,
            }),
          view: toDelivery,
        }),
        200,
      );
    },
  )
  .openapi(
    secured({
      method: 'get',
      path: '/notifications/deliveries/{id}',
      operationId: 'getNotificationDelivery',
      summary: 'Get a delivery with its tries (time, HTTP status, error)',
      tags,
      permissions: ['notification:read'],
      scope: deliveryScope,
      request: { params: IdParam },
      responses: { 200: jsonResponse(Delivery, 'The delivery'), ...errorResponses(...authErrors, 404) },
    }),
    async (c) => {
      const row = await findDelivery(c.var.deps.database.db, c.req.valid('param').id);
      if (!row) throw notFound('notification delivery');
      return c.json(toDelivery(row), 200);
    },
  )
  .openapi(
    secured({
      method: 'post',
      path: '/notifications/deliveries/{id}/redeliver',
      operationId: 'redeliverNotification',
      summary: 'Send a delivery again: back to pending with a full set of tries, sent by the next sweep',
      tags,
      permissions: ['notification:write'],
      scope: deliveryScope,
      request: { params: IdParam },
      responses: {
        200: jsonResponse(Delivery, 'The delivery, pending'),
        ...errorResponses(...authErrors, 404),
      },
    }),
    async (c) => c.json(await redeliver(c.req.valid('param').id, serviceCtx(c)), 200),
  );
