import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import {
  Build,
  CreatePipelineRequest,
  ListBuildsQuery,
  ListPipelinesQuery,
  PatchPipelineRequest,
  Pipeline,
  PipelineWithSecret,
  TriggerAttempt,
  TriggerRequest,
  WebhookAccepted,
} from '../../../shared/contracts/ci';
import { followDeployments } from '../cd/follow';
import { serviceCtx } from '../context';
import type { ApiEnv } from '../env';
import { notFound } from '../errors';
import type { Scope } from '../middleware/authorize';
import { validationHook } from '../middleware/errors';
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
import { listPage, listVisible } from '../pagination';
import { open, secured } from '../route';
import { toBuild } from './builds';
import {
  createPipeline,
  deletePipeline,
  type PipelineCtx,
  patchPipeline,
  rotatePipelineSecret,
  toPipeline,
} from './pipelines';
import { findBuild, findPipeline, listBuilds, listPipelines, listTriggerAttempts } from './repo';
import { toTriggerAttempt, triggerPipeline } from './trigger';
import { receiveDelivery } from './webhook';

const tags = ['ci'];

/** The API's own base URL as the caller reached it, for the webhook URL a provider is given. */
const apiBaseOf = (c: Context<ApiEnv>) => {
  const url = new URL(c.req.url);
  return `${url.origin}${url.pathname.slice(0, url.pathname.indexOf('/ci/'))}`;
};

const pipelineCtx = (c: Context<ApiEnv>): PipelineCtx => ({
  ...serviceCtx(c),
  keys: c.var.deps.keys,
  apiBase: apiBaseOf(c),
  outbound: c.var.deps.config.outbound,
});

/** Permissions on `/ci/pipelines/:id` apply in that pipeline's project. */
const pipelineScope: Scope = {
  kind: 'resource',
  projectOf: async (c, id) => (await findPipeline(c.var.deps.database.db, id))?.projectId,
};
const buildScope: Scope = {
  kind: 'resource',
  projectOf: async (c, id) => (await findBuild(c.var.deps.database.db, id))?.projectId,
};

export const ciRoutes = new OpenAPIHono<ApiEnv>({ defaultHook: validationHook })
  .openapi(
    secured({
      method: 'post',
      path: '/ci/pipelines',
      operationId: 'createPipeline',
      summary: 'Create a CI pipeline of a service; the webhook secret is in this answer only',
      tags,
      permissions: ['ci:write'],
      scope: { kind: 'body', field: 'project_id', absent: 'anywhere' },
      request: { body: jsonBody(CreatePipelineRequest) },
      responses: {
        201: jsonResponse(PipelineWithSecret, 'The pipeline, with its webhook secret (shown once)'),
        ...errorResponses(...authErrors),
      },
    }),
    async (c) => c.json(await createPipeline(c.req.valid('json'), pipelineCtx(c)), 201),
  )
  .openapi(
    secured({
      method: 'get',
      path: '/ci/pipelines',
      operationId: 'listPipelines',
      summary: 'List CI pipelines',
      tags,
      permissions: ['ci:read'],
      scope: { kind: 'query', field: 'project_id' },
      request: { query: ListQuery.extend(ListPipelinesQuery.shape) },
      responses: { 200: jsonResponse(listOf(Pipeline), 'Pipelines'), ...errorResponses(...authErrors) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const { db } = c.var.deps.database;
      const base = apiBaseOf(c);
      return c.json(
        await listVisible(c.var.grants, 'ci:read', q, {
          read: (w) => listPipelines(db, { ...w, projectId: q.project_id, serviceId: q.service_id }),
          view: (row) => toPipeline(row, base, c.var.deps.clock.now()),
        }),
        200,
      );
    },
  )
  .openapi(
    secured({
      method: 'get',
      path: '/ci/pipelines/{id}',
      operationId: 'getPipeline',
      summary: 'Get a CI pipeline (never its secret)',
      tags,
      permissions: ['ci:read'],
      scope: pipelineScope,
      request: { params: IdParam },
      responses: { 200: jsonResponse(Pipeline, 'The pipeline'), ...errorResponses(...authErrors, 404) },
    }),
    async (c) => {
      const row = await findPipeline(c.var.deps.database.db, c.req.valid('param').id);
      if (!row) throw notFound('pipeline');
      return c.json(toPipeline(row, apiBaseOf(c), c.var.deps.clock.now()), 200);
    },
  )
  .openapi(
    secured({
      method: 'patch',
      path: '/ci/pipelines/{id}',
      operationId: 'patchPipeline',
      summary: "Change a pipeline's repository, filters, trigger, image template or provider fields",
      tags,
      permissions: ['ci:write'],
      scope: pipelineScope,
      request: { params: IdParam, body: jsonBody(PatchPipelineRequest) },
      responses: { 200: jsonResponse(Pipeline, 'The pipeline'), ...errorResponses(...authErrors, 404) },
    }),
    async (c) =>
      c.json(await patchPipeline(c.req.valid('param').id, c.req.valid('json'), pipelineCtx(c)), 200),
  )
  .openapi(
    secured({
      method: 'delete',
      path: '/ci/pipelines/{id}',
      operationId: 'deletePipeline',
      summary: 'Delete a pipeline: its webhook stops answering, its builds stay',
      tags,
      permissions: ['ci:write'],
      scope: pipelineScope,
      request: { params: IdParam },
      responses: { 204: { description: 'Deleted' }, ...errorResponses(...authErrors, 404) },
    }),
    async (c) => {
      await deletePipeline(c.req.valid('param').id, pipelineCtx(c));
      return c.body(null, 204);
    },
  )
  .openapi(
    secured({
      method: 'post',
      path: '/ci/pipelines/{id}/rotate-secret',
      operationId: 'rotatePipelineSecret',
      summary: 'Replace the webhook secret; the new one is in this answer only, the old one stops at once',
      tags,
      permissions: ['ci:write'],
      scope: pipelineScope,
      request: { params: IdParam },
      responses: {
        200: jsonResponse(PipelineWithSecret, 'The pipeline, with its new webhook secret (shown once)'),
        ...errorResponses(...authErrors, 404),
      },
    }),
    async (c) => c.json(await rotatePipelineSecret(c.req.valid('param').id, pipelineCtx(c)), 200),
  )
  .openapi(
    secured({
      method: 'post',
      path: '/ci/pipelines/{id}/trigger',
      operationId: 'triggerPipeline',
      summary: "Run the pipeline now through the provider's API, or record the intent",
      description: [
        'Where the pipeline has `provider_api_url` and `provider_credential_id`, calls the provider',
        '(GitHub workflow dispatch, GitLab pipeline creation, POST to the Jenkins or generic job URL)',
        'with a short timeout and answers the attempt with what the provider said; otherwise records',
        'the intent (`status: recorded`). Never answers or records the token.',
      ].join(' '),
      tags,
      permissions: ['ci:write'],
      scope: pipelineScope,
      request: { params: IdParam, body: jsonBody(TriggerRequest) },
      responses: {
        202: jsonResponse(TriggerAttempt, 'The attempt and its outcome'),
        ...errorResponses(...authErrors, 404),
      },
    }),
    async (c) => {
      const deps = c.var.deps;
      const row = await findPipeline(deps.database.db, c.req.valid('param').id);
      if (!row) throw notFound('pipeline');
      const attempt = await triggerPipeline(
        row,
        { source: 'manual', ref: c.req.valid('json').ref },
        {
          db: deps.database.db,
          clock: deps.clock,
          keys: deps.keys,
          outbound: deps.config.outbound,
          actor: c.var.actor,
        },
      );
      return c.json(attempt, 202);
    },
  )
  .openapi(
    secured({
      method: 'get',
      path: '/ci/pipelines/{id}/triggers',
      operationId: 'listPipelineTriggers',
      summary: "A pipeline's manual and scheduled trigger attempts, newest first",
      tags,
      permissions: ['ci:read'],
      scope: pipelineScope,
      request: { params: IdParam, query: ListQuery },
      responses: {
        200: jsonResponse(listOf(TriggerAttempt), 'Attempts, newest first'),
        ...errorResponses(...authErrors, 404),
      },
    }),
    async (c) => {
      const { db } = c.var.deps.database;
      const row = await findPipeline(db, c.req.valid('param').id);
      if (!row) throw notFound('pipeline');
      const page = await listPage(c.req.valid('query'), {
        read: (w) => listTriggerAttempts(db, row.id, w),
        view: toTriggerAttempt,
      });
      return c.json(page, 200);
    },
  )
  .openapi(
    open({
      method: 'post',
      path: '/ci/webhooks/{pipeline_id}',
      operationId: 'receiveCiWebhook',
      summary: "A provider's delivery: authenticated by its signature, not a token",
      description: [
        'The body is read raw and verified the provider’s way before it is parsed: GitHub',
        '`X-Hub-Signature-256` (JSON, or form-encoded `payload=`) with `X-GitHub-Delivery` and',
        '`X-GitHub-Event` (`push`, `workflow_run`); GitLab `X-Gitlab-Token` with `X-Gitlab-Event-UUID`',
        'and `X-Gitlab-Event` (`Push Hook`, `Pipeline Hook`); Jenkins and generic senders Standard',
        'Webhooks (`webhook-id`, `webhook-timestamp` within ±5 minutes, `webhook-signature`) with',
        '`{run_id, commit, ref, status, artifacts: [{image, digest?}]}`. A delivery id seen before',
        'answers `duplicate: true` and changes nothing.',
      ].join(' '),
      tags,
      request: {
        params: z.object({ pipeline_id: Id.openapi({ param: { name: 'pipeline_id', in: 'path' } }) }),
      },
      responses: {
        200: jsonResponse(WebhookAccepted, 'Recorded (or a redelivery)'),
        ...errorResponses(400, 401, 404, 413, 422, 429),
      },
    }),
    async (c) => {
      const deps = c.var.deps;
      const result = await receiveDelivery(
        {
          pipelineId: c.req.valid('param').pipeline_id,
          header: (name) => c.req.header(name),
          raw: Buffer.from(await c.req.arrayBuffer()),
        },
        {
          db: deps.database.db,
          clock: deps.clock,
          keys: deps.keys,
          refusalsPerMinute: deps.config.webhookRefusalsPerMinute,
        },
      );
      return c.json(result, 200);
    },
  )
  .openapi(
    secured({
      method: 'get',
      path: '/ci/builds',
      operationId: 'listBuilds',
      summary: 'List builds the providers reported',
      tags,
      permissions: ['ci:read'],
      scope: { kind: 'query', field: 'project_id' },
      request: { query: ListQuery.extend(ListBuildsQuery.shape) },
      responses: { 200: jsonResponse(listOf(Build), 'Builds'), ...errorResponses(...authErrors) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const { db } = c.var.deps.database;
      const page = await listVisible(c.var.grants, 'ci:read', q, {
        read: (w) =>
          listBuilds(db, {
            ...w,
            projectId: q.project_id,
            serviceId: q.service_id,
            pipelineId: q.pipeline_id,
            status: q.status,
          }),
        view: toBuild,
      });
      return c.json({ ...page, items: await followDeployments(db, c.var.grants, page.items) }, 200);
    },
  )
  .openapi(
    secured({
      method: 'get',
      path: '/ci/builds/{id}',
      operationId: 'getBuild',
      summary: 'Get a build',
      tags,
      permissions: ['ci:read'],
      scope: buildScope,
      request: { params: IdParam },
      responses: { 200: jsonResponse(Build, 'The build'), ...errorResponses(...authErrors, 404) },
    }),
    async (c) => {
      const db = c.var.deps.database.db;
      const row = await findBuild(db, c.req.valid('param').id);
      if (!row) throw notFound('build');
      const [build] = await followDeployments(db, c.var.grants, [toBuild(row)]);
      return c.json(build!, 200);
    },
  );
