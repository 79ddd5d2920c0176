import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import {
  AnswerCommandRequest,
  Command,
  CreateCommandRequest,
  ListCommandsQuery,
} from '../../../shared/contracts/ai';
import { serviceCtx } from '../context';
import type { ApiEnv } from '../env';
import { validationHook } from '../middleware/errors';
import { authErrors, errorResponses, IdParam, jsonBody, jsonResponse, ListQuery, listOf } from '../openapi';
import { listPage } from '../pagination';
import { secured } from '../route';
import {
  answerCommand,
  type CommandCtx,
  confirmCommand,
  createCommand,
  getCommand,
  toCommand,
} from './commands';
import { lookupsFor } from './lookups';
import { listCommands } from './repo';

const tags = ['ai'];

/** The bridge acts as its caller, and everything it causes is recorded with `source: "ai"`. */
const commandCtx = (c: Context<ApiEnv>): CommandCtx => ({
  ...serviceCtx(c),
  actor: { ...c.var.actor, source: 'ai' },
  grants: c.var.grants,
  keys: c.var.deps.keys,
  lookups: lookupsFor(c.var.deps.database.db, c.var.deps.keys, c.var.grants),
  config: c.var.deps.config,
});

const BRIDGE_NOTE =
  'A refusal (approve, reject, reveal, cancel, skip the preview, policy, RBAC, credentials, runners) is 200 with status "refused" and its reason; a permission the command needs and the caller lacks is 403 naming it.';

export const aiRoutes = new OpenAPIHono<ApiEnv>({ defaultHook: validationHook })
  .openapi(
    secured({
      method: 'post',
      path: '/ai/commands',
      operationId: 'createAiCommand',
      summary: 'Give the bridge a command in words: it answers, asks, previews, or refuses with the reason',
      description: BRIDGE_NOTE,
      tags,
      permissions: ['ai:command'],
      scope: { kind: 'body', field: 'project_id', absent: 'anywhere' },
      request: { body: jsonBody(CreateCommandRequest) },
      responses: {
        201: jsonResponse(Command, 'The command: answered, previewed, asking, or failed with its reason'),
        200: jsonResponse(
          Command,
          'The command was understood and declined: status "refused" with its reason',
        ),
        ...errorResponses(...authErrors),
      },
    }),
    async (c) => {
      const command = await createCommand(c.req.valid('json'), commandCtx(c));
      // SPEC §7.3: a refusal is an answer (200), not an error; it is still kept and audited.
      return command.status === 'refused' ? c.json(command, 200) : c.json(command, 201);
    },
  )
  .openapi(
    secured({
      method: 'get',
      path: '/ai/commands',
      operationId: 'listAiCommands',
      summary: "The caller's own commands, newest first",
      tags,
      permissions: ['ai:command'],
      scope: { kind: 'query', field: 'project_id' },
      request: { query: ListQuery.extend(ListCommandsQuery.shape) },
      responses: { 200: jsonResponse(listOf(Command), 'Commands'), ...errorResponses(...authErrors) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const ctx = commandCtx(c);
      const page = await listPage(q, {
        read: (w) => listCommands(ctx.db, { ...w, userId: ctx.actor.userId, projectId: q.project_id }),
        view: (r) => r,
      });
      return c.json({ ...page, items: await Promise.all(page.items.map((r) => toCommand(ctx, r))) }, 200);
    },
  )
  .openapi(
    secured({
      method: 'get',
      path: '/ai/commands/{id}',
      operationId: 'getAiCommand',
      summary: 'One of the caller’s commands, with its preview as it stands now',
      tags,
      permissions: ['ai:command'],
      scope: { kind: 'anywhere' },
      request: { params: IdParam },
      responses: { 200: jsonResponse(Command, 'The command'), ...errorResponses(...authErrors, 404) },
    }),
    async (c) => c.json(await getCommand(c.req.valid('param').id, commandCtx(c)), 200),
  )
  .openapi(
    secured({
      method: 'post',
      path: '/ai/commands/{id}/answer',
      operationId: 'answerAiCommand',
      summary: 'Answer the questions of a command that needs input; it is resolved again with them',
      description: BRIDGE_NOTE,
      tags,
      permissions: ['ai:command'],
      scope: { kind: 'anywhere' },
      request: { params: IdParam, body: jsonBody(AnswerCommandRequest) },
      responses: { 200: jsonResponse(Command, 'The command'), ...errorResponses(...authErrors, 404, 409) },
    }),
    async (c) =>
      c.json(await answerCommand(c.req.valid('param').id, c.req.valid('json').answers, commandCtx(c)), 200),
  )
  .openapi(
    secured({
      method: 'post',
      path: '/ai/commands/{id}/confirm',
      operationId: 'confirmAiCommand',
      summary: "Apply the command's preview through the normal apply path (its creator only)",
      description:
        'Needs the apply (or rollback) permissions of what the preview prepares, like POST /deploy/releases/apply; where the policy wants a ticket, the release waits in the one inbox.',
      tags,
      permissions: ['ai:command'],
      scope: { kind: 'anywhere' },
      request: { params: IdParam },
      responses: {
        200: jsonResponse(Command, 'The confirmed command, with its release_id'),
        ...errorResponses(...authErrors, 404, 409, 410),
      },
    }),
    async (c) => c.json(await confirmCommand(c.req.valid('param').id, commandCtx(c)), 200),
  );
