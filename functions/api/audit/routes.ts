import { OpenAPIHono, z } from '@hono/zod-openapi';
import { AuditEvent } from '../../../shared/contracts/audit';
import { AUDIT_ACTIONS } from '../../../shared/events';
import type { ApiEnv } from '../env';
import { invalid, notFound } from '../errors';
import { validationHook } from '../middleware/errors';
import { authErrors, errorResponses, IdParam, jsonResponse, listOf } from '../openapi';
import { secured } from '../route';
import { type AuditRow, findEvent, listEvents } from './repo';
import { verifyChain } from './verify';

export const toAuditEvent = (e: AuditRow): AuditEvent => ({
  event_id: e.id,
  id: e.id,
  seq: e.seq,
  action: e.action,
  resource_type: e.resourceType,
  resource_id: e.resourceId,
  project_id: e.projectId,
  team_id: e.teamId,
  environment_id: e.environmentId,
  actor_id: e.actorId,
  source: e.source as AuditEvent['source'],
  status: e.status,
  occurred_at: e.occurredAt.toISOString(),
  detail: e.detail,
  prev_hash: e.prevHash,
  hash: e.hash,
});

const ListAuditQuery = z.object({
  resource_type: z.string().max(64).optional(),
  resource_id: z.string().max(64).optional(),
  action: z.enum(AUDIT_ACTIONS).optional(),
  project_id: z.string().max(64).optional(),
  since: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.string().max(40).optional(),
});

/** The audit cursor is the last seq seen: events are read in chain order. */
const seqCursor = (cursor: string | undefined) => {
  if (cursor === undefined) return undefined;
  const n = Number(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!Number.isSafeInteger(n) || n < 0) throw invalid('cursor', 'not a cursor this API issued');
  return n;
};

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
      const rows = await listEvents(c.var.deps.database.db, {
        resourceType: q.resource_type,
        resourceId: q.resource_id,
        action: q.action,
        projectId: q.project_id,
        since: q.since ? new Date(q.since) : undefined,
        visibleProjects: await c.var.grants.projectsWith('audit:read'),
        afterSeq: seqCursor(q.cursor),
        limit: q.limit + 1,
      });
      const items = rows.slice(0, q.limit);
      const last = items.at(-1);
      const next = rows.length > q.limit && last ? Buffer.from(String(last.seq)).toString('base64url') : null;
      return c.json({ items: items.map(toAuditEvent), next_cursor: next }, 200);
    },
  );
