import { OpenAPIHono } from '@hono/zod-openapi';
import {
  Cluster,
  ImportClusterRequest,
  ListClustersQuery,
  PatchClusterRequest,
  TestConnectionAccepted,
} from '../../../shared/contracts/credentials';
import { serviceCtx } from '../context';
import { credentialCtx } from '../credentials/context';
import type { ApiEnv } from '../env';
import { notFound } from '../errors';
import type { Scope } from '../middleware/authorize';
import { validationHook } from '../middleware/errors';
import { authErrors, errorResponses, IdParam, jsonBody, jsonResponse, ListQuery, listOf } from '../openapi';
import { listVisible } from '../pagination';
import { secured } from '../route';
import { toCluster } from './access';
import { findCluster, listClusters } from './repo';
import { deleteCluster, importCluster, patchCluster, testClusterConnection } from './service';

const tags = ['clusters'];

/** Permissions on `/clusters/:id` apply in that cluster's project. */
export const clusterScope: Scope = {
  kind: 'resource',
  projectOf: async (c, id) => (await findCluster(c.var.deps.database.db, id))?.projectId,
};

export const clustersRoutes = new OpenAPIHono<ApiEnv>({ defaultHook: validationHook })
  .openapi(
    secured({
      method: 'post',
      path: '/clusters/import',
      operationId: 'importCluster',
      summary:
        'Import an external cluster by kubeconfig, certificate set or token; checked statically before anything is stored',
      tags,
      // The import stores a credential as well as the cluster.
      permissions: ['cluster:write', 'credential:import'],
      scope: { kind: 'body', field: 'project_id', absent: 'anywhere' },
      request: { body: jsonBody(ImportClusterRequest) },
      responses: {
        201: jsonResponse(Cluster, 'The cluster, with warnings worth attention'),
        ...errorResponses(...authErrors, 409, 413),
      },
    }),
    async (c) => c.json(await importCluster(c.req.valid('json'), credentialCtx(c)), 201),
  )
  .openapi(
    secured({
      method: 'get',
      path: '/clusters',
      operationId: 'listClusters',
      summary: 'List clusters',
      tags,
      permissions: ['cluster:read'],
      scope: { kind: 'query', field: 'project_id' },
      request: { query: ListQuery.extend(ListClustersQuery.shape) },
      responses: { 200: jsonResponse(listOf(Cluster), 'Clusters'), ...errorResponses(...authErrors) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const { db } = c.var.deps.database;
      const now = c.var.deps.clock.now();
      return c.json(
        await listVisible(c.var.grants, 'cluster:read', q, {
          read: (w) => listClusters(db, { ...w, projectId: q.project_id }),
          view: (r) => toCluster(r, now),
        }),
        200,
      );
    },
  )
  .openapi(
    secured({
      method: 'get',
      path: '/clusters/{id}',
      operationId: 'getCluster',
      summary: 'Get a cluster',
      tags,
      permissions: ['cluster:read'],
      scope: clusterScope,
      request: { params: IdParam },
      responses: { 200: jsonResponse(Cluster, 'The cluster'), ...errorResponses(...authErrors, 404) },
    }),
    async (c) => {
      const cluster = await findCluster(c.var.deps.database.db, c.req.valid('param').id);
      if (!cluster) throw notFound('cluster');
      return c.json(toCluster(cluster, c.var.deps.clock.now()), 200);
    },
  )
  .openapi(
    secured({
      method: 'post',
      path: '/clusters/{id}/test-connection',
      operationId: 'testClusterConnection',
      summary: 'Test the connection to a cluster from its runner pool (409 NO_RUNNER_POOL without one)',
      tags,
      permissions: ['credential:test'],
      scope: clusterScope,
      request: { params: IdParam },
      responses: {
        202: jsonResponse(TestConnectionAccepted, 'The test job was queued'),
        ...errorResponses(...authErrors, 404, 409),
      },
    }),
    async (c) => c.json(await testClusterConnection(c.req.valid('param').id, serviceCtx(c)), 202),
  )
  .openapi(
    secured({
      method: 'patch',
      path: '/clusters/{id}',
      operationId: 'patchCluster',
      summary: 'Rename a cluster or bind it to another runner pool',
      tags,
      permissions: ['cluster:write'],
      scope: clusterScope,
      request: { params: IdParam, body: jsonBody(PatchClusterRequest) },
      responses: { 200: jsonResponse(Cluster, 'The cluster'), ...errorResponses(...authErrors, 404, 409) },
    }),
    async (c) => c.json(await patchCluster(c.req.valid('param').id, c.req.valid('json'), serviceCtx(c)), 200),
  )
  .openapi(
    secured({
      method: 'delete',
      path: '/clusters/{id}',
      operationId: 'deleteCluster',
      summary: 'Delete a cluster no live target is on (kept for the releases that name it)',
      tags,
      permissions: ['cluster:write'],
      scope: clusterScope,
      request: { params: IdParam },
      responses: { 204: { description: 'Deleted' }, ...errorResponses(...authErrors, 404, 409) },
    }),
    async (c) => {
      await deleteCluster(c.req.valid('param').id, serviceCtx(c));
      return c.body(null, 204);
    },
  );
