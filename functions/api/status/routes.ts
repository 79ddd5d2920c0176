import { OpenAPIHono } from '@hono/zod-openapi';
import {
  ListStatusQuery,
  RefreshStatusAccepted,
  StatusAggregate,
  TargetStatus,
} from '../../../shared/contracts/status';
import { serviceCtx } from '../context';
import type { ApiEnv } from '../env';
import type { Scope } from '../middleware/authorize';
import { validationHook } from '../middleware/errors';
import { authErrors, errorResponses, IdParam, jsonResponse, ListQuery } from '../openapi';
import { listVisible } from '../pagination';
import { secured } from '../route';
import { findTarget } from '../targets/repo';
import { listTargetStatuses } from './repo';
import { getTargetStatus, refreshTargetStatus } from './service';

const tags = ['status'];

/** The target's project (a deleted target: 404). */
const targetScope: Scope = {
  kind: 'resource',
  projectOf: async (c, id) => (await findTarget(c.var.deps.database.db, id))?.projectId,
};

export const statusRoutes = new OpenAPIHono<ApiEnv>({ defaultHook: validationHook })
  .openapi(
    secured({
      method: 'get',
      path: '/deploy/targets/{id}/status',
      operationId: 'getTargetStatus',
      summary:
        "A target's newest status as its runner read it (state unknown, observed_at null before the first)",
      tags,
      permissions: ['target:read'],
      scope: targetScope,
      request: { params: IdParam },
      responses: {
        200: jsonResponse(TargetStatus, 'The newest status'),
        ...errorResponses(...authErrors, 404),
      },
    }),
    async (c) => c.json(await getTargetStatus(c.var.deps.database.db, c.req.valid('param').id), 200),
  )
  .openapi(
    secured({
      method: 'post',
      path: '/deploy/targets/{id}/status/refresh',
      operationId: 'refreshTargetStatus',
      summary: "Have the target's runner read its status now (a read already under way is answered instead)",
      tags,
      permissions: ['target:write'],
      scope: targetScope,
      request: { params: IdParam },
      responses: {
        202: jsonResponse(RefreshStatusAccepted, 'The status job'),
        ...errorResponses(...authErrors, 404, 409),
      },
    }),
    async (c) => c.json(await refreshTargetStatus(c.req.valid('param').id, serviceCtx(c)), 202),
  )
  .openapi(
    secured({
      method: 'get',
      path: '/deploy/status',
      operationId: 'listTargetStatuses',
      summary: 'Targets with their newest status (healthy, degraded or unknown), and how many of each',
      tags,
      permissions: ['target:read'],
      scope: { kind: 'query', field: 'project_id' },
      request: { query: ListQuery.extend(ListStatusQuery.shape) },
      responses: {
        200: jsonResponse(StatusAggregate, 'Targets by status'),
        ...errorResponses(...authErrors),
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const { db } = c.var.deps.database;
      const page = await listVisible(c.var.grants, 'target:read', q, {
        read: (w) =>
          listTargetStatuses(db, {
            ...w,
            projectId: q.project_id,
            environmentId: q.environment_id,
            runtimeType: q.runtime_type,
            serviceId: q.service_id,
          }),
        view: (r) => ({
          target_id: r.id,
          name: r.name,
          project_id: r.projectId,
          environment_id: r.environmentId,
          runtime_type: r.runtimeType,
          state: r.state ?? ('unknown' as const),
          observed_at: r.observedAt?.toISOString() ?? null,
        }),
      });
      const counts = { healthy: 0, degraded: 0, unknown: 0 };
      for (const t of page.items) counts[t.state]++;
      return c.json({ ...page, counts }, 200);
    },
  );
