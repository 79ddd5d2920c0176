import { OpenAPIHono } from '@hono/zod-openapi';
import {
  CreateHostRequest,
  Host,
  ListHostsQuery,
  PatchHostRequest,
  TestConnectionAccepted,
} from '../../../shared/contracts/credentials';
import { serviceCtx } from '../context';
import type { ApiEnv } from '../env';
import { notFound } from '../errors';
import type { Scope } from '../middleware/authorize';
import { validationHook } from '../middleware/errors';
import { authErrors, errorResponses, IdParam, jsonBody, jsonResponse, ListQuery, listOf } from '../openapi';
import { listVisible } from '../pagination';
import { secured } from '../route';
import { findHost, listHosts } from './repo';
import { createHost, deleteHost, patchHost, resetHostKey, testHostConnection, toHost } from './service';

const tags = ['hosts'];

/** Permissions on `/hosts/:id` apply in that host's project. */
export const hostScope: Scope = {
  kind: 'resource',
  projectOf: async (c, id) => (await findHost(c.var.deps.database.db, id))?.projectId,
};

export const hostsRoutes = new OpenAPIHono<ApiEnv>({ defaultHook: validationHook })
  .openapi(
    secured({
      method: 'post',
      path: '/hosts',
      operationId: 'createHost',
      summary: 'Register an SSH host with the credential that logs in to it',
      tags,
      permissions: ['host:write'],
      scope: { kind: 'body', field: 'project_id', absent: 'anywhere' },
      request: { body: jsonBody(CreateHostRequest) },
      responses: { 201: jsonResponse(Host, 'The host'), ...errorResponses(...authErrors, 409) },
    }),
    async (c) => c.json(await createHost(c.req.valid('json'), serviceCtx(c)), 201),
  )
  .openapi(
    secured({
      method: 'get',
      path: '/hosts',
      operationId: 'listHosts',
      summary: 'List hosts',
      tags,
      permissions: ['host:read'],
      scope: { kind: 'query', field: 'project_id' },
      request: { query: ListQuery.extend(ListHostsQuery.shape) },
      responses: { 200: jsonResponse(listOf(Host), 'Hosts'), ...errorResponses(...authErrors) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const { db } = c.var.deps.database;
      return c.json(
        await listVisible(c.var.grants, 'host:read', q, {
          read: (w) => listHosts(db, { ...w, projectId: q.project_id }),
          view: toHost,
        }),
        200,
      );
    },
  )
  .openapi(
    secured({
      method: 'get',
      path: '/hosts/{id}',
      operationId: 'getHost',
      summary: 'Get a host, with its pinned host key',
      tags,
      permissions: ['host:read'],
      scope: hostScope,
      request: { params: IdParam },
      responses: { 200: jsonResponse(Host, 'The host'), ...errorResponses(...authErrors, 404) },
    }),
    async (c) => {
      const host = await findHost(c.var.deps.database.db, c.req.valid('param').id);
      if (!host) throw notFound('host');
      return c.json(toHost(host), 200);
    },
  )
  .openapi(
    secured({
      method: 'patch',
      path: '/hosts/{id}',
      operationId: 'patchHost',
      summary:
        "Change a host's name, address, port, user or credential (a new address or port clears the pinned key)",
      tags,
      permissions: ['host:write'],
      scope: hostScope,
      request: { params: IdParam, body: jsonBody(PatchHostRequest) },
      responses: { 200: jsonResponse(Host, 'The host'), ...errorResponses(...authErrors, 404, 409) },
    }),
    async (c) => c.json(await patchHost(c.req.valid('param').id, c.req.valid('json'), serviceCtx(c)), 200),
  )
  .openapi(
    secured({
      method: 'delete',
      path: '/hosts/{id}',
      operationId: 'deleteHost',
      summary: 'Delete a host no live target names (kept for the releases and tasks that name it)',
      tags,
      permissions: ['host:write'],
      scope: hostScope,
      request: { params: IdParam },
      responses: { 204: { description: 'Deleted' }, ...errorResponses(...authErrors, 404, 409) },
    }),
    async (c) => {
      await deleteHost(c.req.valid('param').id, serviceCtx(c));
      return c.body(null, 204);
    },
  )
  .openapi(
    secured({
      method: 'post',
      path: '/hosts/{id}/host-key/reset',
      operationId: 'resetHostKey',
      summary: "Clear a host's pinned SSH host key; the next first contact pins again",
      tags,
      permissions: ['host:write'],
      scope: hostScope,
      request: { params: IdParam },
      responses: { 200: jsonResponse(Host, 'The host, unpinned'), ...errorResponses(...authErrors, 404) },
    }),
    async (c) => c.json(await resetHostKey(c.req.valid('param').id, serviceCtx(c)), 200),
  )
  .openapi(
    secured({
      method: 'post',
      path: '/hosts/{id}/test-connection',
      operationId: 'testHostConnection',
      summary: 'Test the connection to a host from its runner pool (409 NO_RUNNER_POOL without one)',
      tags,
      permissions: ['credential:test'],
      scope: hostScope,
      request: { params: IdParam },
      responses: {
        202: jsonResponse(TestConnectionAccepted, 'The test job was queued'),
        ...errorResponses(...authErrors, 404, 409),
      },
    }),
    async (c) => c.json(await testHostConnection(c.req.valid('param').id, serviceCtx(c)), 202),
  );
