import { OpenAPIHono } from '@hono/zod-openapi';
import {
  BatchDecisionRequest,
  BatchDecisionResponse,
  DecisionRequest,
  InboxQuery,
  Ticket,
  TicketDetail,
} from '../../../shared/contracts/approvals';
import { serviceCtx } from '../context';
import type { ApiEnv } from '../env';
import { ApiError, notFound } from '../errors';
import type { Scope } from '../middleware/authorize';
import { validationHook } from '../middleware/errors';
import { authErrors, errorResponses, IdParam, jsonBody, jsonResponse, listOf } from '../openapi';
import { listPage } from '../pagination';
import { projectsWithAll } from '../rbac/projects-with-all';
import { secured } from '../route';
import { findTicket, listInbox } from './repo';
import { DECIDER_PERMISSIONS, decideTicket, ticketViews, toTicket } from './service';

const tags = ['approvals'];
const ticketScope: Scope = {
  kind: 'resource',
  projectOf: async (c, id) => (await findTicket(c.var.deps.database.db, id))?.projectId,
};

export const approvalsRoutes = new OpenAPIHono<ApiEnv>({ defaultHook: validationHook })
  .openapi(
    secured({
      method: 'get',
      path: '/approvals/inbox',
      operationId: 'listInbox',
      summary: 'The one inbox: tickets of every kind, newest first',
      tags,
      permissions: ['deploy:approval:read'],
      scope: { kind: 'query', field: 'project_id' },
      request: { query: InboxQuery },
      responses: { 200: jsonResponse(listOf(Ticket), 'Tickets'), ...errorResponses(...authErrors) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const { db } = c.var.deps.database;
      const userId = c.var.actor.userId;
      const now = c.var.deps.clock.now();
      // Waiting for me: only where the caller may read the inbox and decide, the same pair of
      // permissions decideTicket checks, intersected before the page is read so paging stays right.
      const projects =
        q.awaiting_my_decision === 'true'
          ? await projectsWithAll(c.var.grants, 'deploy:approval:read', ...DECIDER_PERMISSIONS)
          : await c.var.grants.projectsWith('deploy:approval:read');
      const page = await listPage(q, {
        read: (w) => listInbox(db, { ...q, ...w, projects, userId, now }),
        view: ({ revisionDigest, maskedDigest, ...t }) =>
          toTicket(t, { revision_digest: revisionDigest, masked_digest: maskedDigest }),
      });
      return c.json(page, 200);
    },
  )
  .openapi(
    secured({
      method: 'get',
      path: '/approvals/inbox/{id}',
      operationId: 'getTicket',
      summary: 'A ticket with what it is for (a release: its diff and risk)',
      tags,
      permissions: ['deploy:approval:read'],
      scope: ticketScope,
      request: { params: IdParam },
      responses: { 200: jsonResponse(TicketDetail, 'The ticket'), ...errorResponses(...authErrors, 404) },
    }),
    async (c) => {
      const db = c.var.deps.database.db;
      const t = await findTicket(db, c.req.valid('param').id);
      if (!t) throw notFound('ticket');
      const subject = (await c.var.deps.ticketKinds[t.kind]?.describe?.(db, t)) ?? null;
      const [ticket] = await ticketViews(db, c.var.deps.ticketKinds, [t]);
      return c.json({ ...ticket!, subject }, 200);
    },
  )
  .openapi(
    secured({
      method: 'post',
      path: '/approvals/inbox/{id}/decision',
      operationId: 'decideTicket',
      summary: 'Approve or reject a ticket (never one you requested)',
      tags,
      permissions: DECIDER_PERMISSIONS,
      scope: ticketScope,
      request: { params: IdParam, body: jsonBody(DecisionRequest) },
      responses: {
        200: jsonResponse(Ticket, 'The decided ticket'),
        ...errorResponses(...authErrors, 404, 409),
      },
    }),
    async (c) => {
      const ctx = { ...serviceCtx(c), grants: c.var.grants, handlers: c.var.deps.ticketKinds };
      return c.json(await decideTicket(c.req.valid('param').id, c.req.valid('json'), ctx), 200);
    },
  )
  .openapi(
    secured({
      method: 'post',
      path: '/approvals/inbox/batch-decision',
      operationId: 'decideTickets',
      summary: 'Decide several tickets; each is decided on its own and the answer lists each outcome',
      tags,
      permissions: DECIDER_PERMISSIONS,
      scope: { kind: 'anywhere' },
      request: { body: jsonBody(BatchDecisionRequest) },
      responses: {
        200: jsonResponse(BatchDecisionResponse, 'One outcome per ticket'),
        ...errorResponses(...authErrors),
      },
    }),
    async (c) => {
      const { ticket_ids, decision, comment } = c.req.valid('json');
      const ctx = { ...serviceCtx(c), grants: c.var.grants, handlers: c.var.deps.ticketKinds };
      const results = [];
      for (const id of [...new Set(ticket_ids)]) {
        try {
          const t = await decideTicket(id, { decision, comment }, ctx);
          results.push({ ticket_id: id, outcome: t.status as 'approved' | 'rejected', error: null });
        } catch (e) {
          if (!(e instanceof ApiError)) throw e;
          results.push({
            ticket_id: id,
            outcome: 'refused' as const,
            error: { code: e.code, message: e.message },
          });
        }
      }
      return c.json({ results }, 200);
    },
  );
