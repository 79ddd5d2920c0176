import { OpenAPIHono, z } from '@hono/zod-openapi';
import { AuditEvent } from '../../../shared/contracts/audit';
import { AUDIT_ACTIONS } from '../../../shared/events';
import type { ApiEnv } from '../env';
import { notFound } from '../errors';
import { validationHook } from '../middleware/errors';
import { authErrors, errorResponses, IdParam, jsonResponse, listOf } from '../openapi';
import { listVisible } from '../pagination';
import { secured } from '../route';
import { findEvent, listEvents } from './repo';
import { verifyChain } from './verify';
import { bySeq, toAuditEvent } from './view';

const ListAuditQuery = z.object({
  resource_type: z.string().max(64).optional(),
  resource_id: z.string().max(64).optional(),
  action: z.enum(AUDIT_ACTIONS).optional(),
  project_id: z.string().max(64).optional(),
  since: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.string().max(40).optional(),
});

const VerifyResponse = z
  .object({
    ok: z.boolean(),
    count: z.number().int(),
    first_bad_event_id: z.string().nullable(),
    truncated_after: z.string().nullable(),
    unanchored_tail: z
      .object({
        count: z.number().int(),
        since: z.string().nullable(),
      })
      .describe(
        'Events after the newest checkpoint written outside the database: their hashes and MACs were checked, but a cut among them cannot be proven; they never make ok false on their own',
      ),
  })
  .describe('ok covers the anchored range and the hashes and MACs of the whole chain');

export const auditRoutes = new OpenAPIHono<ApiEnv>({ defaultHook: validationHook })
  .openapi(
    secured({
      method: 'get',
      path: '/audit/events/{id}',
      operationId: 'getAuditEvent',
      summary: 'Get one audit event',
      tags: ['audit'],
      permissions: ['audit:read'],
      // Events of no project (users, roles) need audit:read in every project.
      scope: {
        kind: 'resource',
        projectOf: async (c, id) => (await findEvent(c.var.deps.database.db, id))?.projectId,
      },
      request: { params: IdParam },
      responses: { 200: jsonResponse(AuditEvent, 'The event'), ...errorResponses(...authErrors, 404) },
    }),
    async (c) => {
      const e = await findEvent(c.var.deps.database.db, c.req.valid('param').id);
      if (!e) throw notFound('audit event');
      return c.json(toAuditEvent(e), 200);
    },
  )
  .openapi(
    secured({
      method: 'get',
      path: '/audit/verify',
      operationId: 'verifyAudit',
      summary: 'Check the chain, its MACs, its signed checkpoints and their copies outside the database',
      tags: ['audit'],
      permissions: ['audit:read'],
      scope: { kind: 'global' },
      responses: { 200: jsonResponse(VerifyResponse, 'The verdict'), ...errorResponses(...authErrors) },
    }),
    async (c) => {
      const { database, keys, auditAnchor } = c.var.deps;
      return c.json(await verifyChain(database.db, keys, auditAnchor), 200);
    },
  )
  .openapi(
    secured({
      method: 'get',
      path: '/audit/events',
      operationId: 'listAuditEvents',
      summary: 'Read the audit stream, oldest first',
      tags: ['audit'],
      permissions: ['audit:read'],
      scope: { kind: 'query', field: 'project_id' },
      request: { query: ListAuditQuery },
      responses: {
        200: jsonResponse(listOf(AuditEvent), 'Events in chain order'),
        ...errorResponses(...authErrors),
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const { db } = c.var.deps.database;
      const filter = {
        resourceType: q.resource_type,
        resourceId: q.resource_id,
        action: q.action,
        projectId: q.project_id,
        since: q.since ? new Date(q.since) : undefined,
      };
      return c.json(
        await listVisible(c.var.grants, 'audit:read', q, {
          read: (w) =>
            listEvents(db, { ...filter, visibleProjects: w.projects, afterSeq: w.after, limit: w.limit }),
          view: toAuditEvent,
          keyset: bySeq,
        }),
        200,
      );
    },
  );
