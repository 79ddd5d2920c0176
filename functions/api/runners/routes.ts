import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import {
  CreateRegistrationTokenRequest,
  CreateRunnerPoolRequest,
  PatchRunnerPoolRequest,
  RegistrationToken,
  RotatedRunnerToken,
  Runner,
  RunnerPool,
  RunnerPoolDetail,
} from '../../../shared/contracts/runners';
import {
  ClaimJobRequest,
  ClaimJobResponse,
  CompleteJobRequest,
  CompleteJobResponse,
  HeartbeatJobRequest,
  HeartbeatJobResponse,
  RegisterRunnerRequest,
  RegisterRunnerResponse,
  ReportJobStepRequest,
  ReportJobStepResponse,
} from '../../../shared/runner/protocol';
import { serviceCtx } from '../context';
import type { ApiEnv } from '../env';
import { notFound } from '../errors';
import { validationHook } from '../middleware/errors';
import { authErrors, errorResponses, IdParam, jsonBody, jsonResponse, ListQuery, listOf } from '../openapi';
import { listVisible } from '../pagination';
import { open, runnerRoute, secured } from '../route';
import { claimForRunner, completeRunnerJob, heartbeatJob, recordRunnerStep, runnerCtx } from './claim';
import { findPool, findRunner, listPools } from './repo';
import {
  createPool,
  createRegistrationToken,
  deletePool,
  listRunnersWithJobs,
  patchPool,
  poolDetail,
  registerRunner,
  revokeRunner,
  rotateRunnerToken,
  runnerWithJobs,
  toPool,
} from './service';

const tags = ['runners'];

const poolScope = {
  kind: 'resource' as const,
  projectOf: async (c: { var: ApiEnv['Variables'] }, id: string) => {
    const p = await findPool(c.var.deps.database.db, id);
    return p ? p.projectId : undefined;
  },
};
const runnerScope = {
  kind: 'resource' as const,
  projectOf: async (c: { var: ApiEnv['Variables'] }, id: string) => {
    const r = await findRunner(c.var.deps.database.db, id);
    const p = r ? await findPool(c.var.deps.database.db, r.runnerPoolId) : undefined;
    return p ? p.projectId : undefined;
  },
};

/** A pool the caller may read, as the lists show them; anything else is 404, so ids reveal nothing. */
async function visiblePool(c: Context<ApiEnv>, id: string, what = 'runner pool') {
  const pool = await findPool(c.var.deps.database.db, id);
  const projects = await c.var.grants.projectsWith('runner:read');
  if (!pool || !(projects === 'all' || pool.projectId === null || projects.includes(pool.projectId)))
    throw notFound(what);
  return pool;
}

const LeaseLost = errorResponses(401, 409, 422);

export const runnersRoutes = new OpenAPIHono<ApiEnv>({ defaultHook: validationHook })
  .openapi(
    secured({
      method: 'post',
      path: '/runner-pools',
      operationId: 'createRunnerPool',
      summary: 'Create a runner pool (for one project, or for all with project_id absent)',
      tags,
      permissions: ['runner:admin'],
      scope: { kind: 'body', field: 'project_id', absent: 'global' },
      request: { body: jsonBody(CreateRunnerPoolRequest) },
      responses: { 201: jsonResponse(RunnerPool, 'The pool'), ...errorResponses(...authErrors, 409) },
    }),
    async (c) => {
      const queue = c.var.deps.queue;
      return c.json(await createPool(c.req.valid('json'), serviceCtx(c), (id) => queue.createPool(id)), 201);
    },
  )
  .openapi(
    secured({
      method: 'get',
      path: '/runner-pools',
      operationId: 'listRunnerPools',
      summary: 'List runner pools: the global ones and those of projects the caller may see',
      tags,
      permissions: ['runner:read'],
      scope: { kind: 'query', field: 'project_id' },
      request: { query: ListQuery.extend({ project_id: z.string().max(64).optional() }) },
      responses: { 200: jsonResponse(listOf(RunnerPool), 'Pools'), ...errorResponses(...authErrors) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const { db } = c.var.deps.database;
      return c.json(
        await listVisible(c.var.grants, 'runner:read', q, {
          read: (w) => listPools(db, { ...w, projectId: q.project_id }),
          view: toPool,
        }),
        200,
      );
    },
  )
  .openapi(
    secured({
      method: 'get',
      path: '/runner-pools/{id}',
      operationId: 'getRunnerPool',
      summary:
        'Get a runner pool (global, or of a project the caller may see) with its queue and online runners',
      description:
        "queue counts the pool's queued and running jobs from the job rows (not queue attributes); online_runners are those seen within the online window.",
      tags,
      permissions: ['runner:read'],
      // The list's view: global pools are visible to every runner reader, so the check is the pool's.
      scope: { kind: 'anywhere' },
      request: { params: IdParam },
      responses: { 200: jsonResponse(RunnerPoolDetail, 'The pool'), ...errorResponses(...authErrors, 404) },
    }),
    async (c) => {
      const pool = await visiblePool(c, c.req.valid('param').id);
      return c.json(await poolDetail(c.var.deps.database.db, pool, c.var.deps.clock.now()), 200);
    },
  )
  .openapi(
    secured({
      method: 'patch',
      path: '/runner-pools/{id}',
      operationId: 'patchRunnerPool',
      summary: 'Rename a runner pool',
      tags,
      permissions: ['runner:admin'],
      scope: poolScope,
      request: { params: IdParam, body: jsonBody(PatchRunnerPoolRequest) },
      responses: { 200: jsonResponse(RunnerPool, 'The pool'), ...errorResponses(...authErrors, 404, 409) },
    }),
    async (c) => c.json(await patchPool(c.req.valid('param').id, c.req.valid('json'), serviceCtx(c)), 200),
  )
  .openapi(
    secured({
      method: 'delete',
      path: '/runner-pools/{id}',
      operationId: 'deleteRunnerPool',
      summary: 'Delete a runner pool nothing is bound to and no live runner is in (kept for history)',
      tags,
      permissions: ['runner:admin'],
      scope: poolScope,
      request: { params: IdParam },
      responses: { 204: { description: 'Deleted' }, ...errorResponses(...authErrors, 404, 409) },
    }),
    async (c) => {
      await deletePool(c.req.valid('param').id, serviceCtx(c));
      return c.body(null, 204);
    },
  )
  .openapi(
    secured({
      method: 'post',
      path: '/runner-pools/{id}/registration-tokens',
      operationId: 'createRegistrationToken',
      summary: 'Mint a one-time registration token (shown once)',
      tags,
      permissions: ['runner:admin'],
      scope: poolScope,
      request: { params: IdParam, body: jsonBody(CreateRegistrationTokenRequest) },
      responses: {
        201: jsonResponse(RegistrationToken, 'The token, shown once'),
        ...errorResponses(...authErrors, 404),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      return c.json(await createRegistrationToken(id, body.expires_in_seconds, serviceCtx(c)), 201);
    },
  )
  .openapi(
    secured({
      method: 'get',
      path: '/runners',
      operationId: 'listRunners',
      summary: 'List runners with online state, last contact and current jobs',
      tags,
      permissions: ['runner:read'],
      scope: { kind: 'anywhere' },
      request: { query: ListQuery.extend({ runner_pool_id: z.string().max(64).optional() }) },
      responses: { 200: jsonResponse(listOf(Runner), 'Runners'), ...errorResponses(...authErrors) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const { db } = c.var.deps.database;
      const now = c.var.deps.clock.now();
      return c.json(
        await listVisible(c.var.grants, 'runner:read', q, {
          read: (w) => listRunnersWithJobs(db, { ...w, runnerPoolId: q.runner_pool_id }, now),
          view: (r) => r,
        }),
        200,
      );
    },
  )
  .openapi(
    secured({
      method: 'get',
      path: '/runners/{id}',
      operationId: 'getRunner',
      summary: 'Get a runner with online state, last contact and current jobs',
      tags,
      permissions: ['runner:read'],
      scope: { kind: 'anywhere' },
      request: { params: IdParam },
      responses: { 200: jsonResponse(Runner, 'The runner'), ...errorResponses(...authErrors, 404) },
    }),
    async (c) => {
      const { db } = c.var.deps.database;
      const runner = await findRunner(db, c.req.valid('param').id);
      if (!runner) throw notFound('runner');
      // A runner is visible exactly when its pool is, as in the list.
      await visiblePool(c, runner.runnerPoolId, 'runner');
      return c.json(await runnerWithJobs(db, runner, c.var.deps.clock.now()), 200);
    },
  )
  .openapi(
    secured({
      method: 'post',
      path: '/runners/{id}/revoke',
      operationId: 'revokeRunner',
      summary: 'Revoke a runner: its token stops working at once',
      tags,
      permissions: ['runner:admin'],
      scope: runnerScope,
      request: { params: IdParam },
      responses: { 200: jsonResponse(Runner, 'The runner'), ...errorResponses(...authErrors, 404, 409) },
    }),
    async (c) => c.json(await revokeRunner(c.req.valid('param').id, serviceCtx(c)), 200),
  )
  .openapi(
    secured({
      method: 'post',
      path: '/runners/{id}/rotate-token',
      operationId: 'rotateRunnerToken',
      summary: 'Replace a runner token (the old one stops working at once; shown once)',
      tags,
      permissions: ['runner:admin'],
      scope: runnerScope,
      request: { params: IdParam },
      responses: {
        200: jsonResponse(RotatedRunnerToken, 'The new token'),
        ...errorResponses(...authErrors, 404, 409),
      },
    }),
    async (c) => c.json(await rotateRunnerToken(c.req.valid('param').id, serviceCtx(c)), 200),
  )
  .openapi(
    open({
      method: 'post',
      path: '/runner/register',
      operationId: 'registerRunner',
      summary: 'A runner registers with a one-time token and its public key',
      tags,
      request: { body: jsonBody(RegisterRunnerRequest) },
      responses: {
        201: jsonResponse(RegisterRunnerResponse, 'The runner id and token, shown once'),
        ...errorResponses(400, 401, 422),
      },
    }),
    async (c) => {
      const { deps } = c.var;
      return c.json(await registerRunner(c.req.valid('json'), deps.database.db, deps.clock), 201);
    },
  )
  .openapi(
    runnerRoute({
      method: 'post',
      path: '/runner/jobs/claim',
      operationId: 'claimJob',
      summary: 'Long poll for a job of the runner pool (204 when idle)',
      tags,
      request: { body: jsonBody(ClaimJobRequest) },
      responses: {
        200: jsonResponse(ClaimJobResponse, 'A job, its work order sealed to the runner'),
        204: { description: 'Nothing to do' },
        ...errorResponses(400, 401, 422),
      },
    }),
    async (c) => {
      const claimed = await claimForRunner(
        runnerCtx(c.var.deps),
        c.var.runner,
        c.req.valid('json').wait_seconds,
        c.req.raw.signal,
      );
      return claimed ? c.json(claimed, 200) : c.body(null, 204);
    },
  )
  .openapi(
    runnerRoute({
      method: 'post',
      path: '/runner/jobs/{id}/heartbeat',
      operationId: 'heartbeatJob',
      summary: 'Extend the lease on a job',
      tags,
      request: { params: IdParam, body: jsonBody(HeartbeatJobRequest) },
      responses: {
        200: jsonResponse(HeartbeatJobResponse, 'The new lease end'),
        ...LeaseLost,
      },
    }),
    async (c) =>
      c.json(
        await heartbeatJob(
          runnerCtx(c.var.deps),
          c.var.runner,
          c.req.valid('param').id,
          c.req.valid('json').lease_token,
        ),
        200,
      ),
  )
  .openapi(
    runnerRoute({
      method: 'post',
      path: '/runner/jobs/{id}/steps',
      operationId: 'reportJobStep',
      summary: 'Record a step (idempotent on job, step and attempt)',
      tags,
      request: { params: IdParam, body: jsonBody(ReportJobStepRequest) },
      responses: { 200: jsonResponse(ReportJobStepResponse, 'Recorded or not'), ...LeaseLost },
    }),
    async (c) => {
      const { lease_token, ...step } = c.req.valid('json');
      const r = await recordRunnerStep(
        runnerCtx(c.var.deps),
        c.var.runner,
        c.req.valid('param').id,
        lease_token,
        step,
      );
      return c.json(r, 200);
    },
  )
  .openapi(
    runnerRoute({
      method: 'post',
      path: '/runner/jobs/{id}/complete',
      operationId: 'completeJob',
      summary: 'Finish a job with its outcome and diagnostics',
      tags,
      request: { params: IdParam, body: jsonBody(CompleteJobRequest) },
      responses: {
        200: jsonResponse(CompleteJobResponse, 'Completed'),
        ...LeaseLost,
      },
    }),
    async (c) => {
      const { lease_token, steps, ...report } = c.req.valid('json');
      const r = await completeRunnerJob(
        runnerCtx(c.var.deps),
        c.var.runner,
        c.req.valid('param').id,
        lease_token,
        report,
        steps,
      );
      return c.json(r, 200);
    },
  );
