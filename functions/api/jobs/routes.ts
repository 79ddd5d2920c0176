import { OpenAPIHono } from '@hono/zod-openapi';
import { JobDetail, Job as JobSchema, ListJobsQuery } from '../../../shared/contracts/jobs';
import type { ApiEnv } from '../env';
import { notFound } from '../errors';
import { requirePermissions } from '../middleware/authorize';
import { validationHook } from '../middleware/errors';
import { authErrors, errorResponses, IdParam, jsonResponse, listOf } from '../openapi';
import { listPage } from '../pagination';
import type { Grants } from '../rbac/enforcer';
import { projectsWithAll } from '../rbac/projects-with-all';
import { secured } from '../route';
import { findJob, findJobView, listJobs, listSteps } from './repo';
import { toJobs, toStep } from './view';

const tags = ['jobs'];

/** A release job is shown where its runtime may be read too, as the releases list does. */
const visibility = async (g: Grants) => ({
  other: await g.projectsWith('runner:read'),
  k8s: await projectsWithAll(g, 'runner:read', 'deploy:k8s:read'),
  compose: await projectsWithAll(g, 'runner:read', 'deploy:compose:read'),
});

export const jobsRoutes = new OpenAPIHono<ApiEnv>({ defaultHook: validationHook })
  .openapi(
    secured({
      method: 'get',
      path: '/jobs',
      operationId: 'listJobs',
      summary: 'List jobs, newest first, each queued one with why it waits',
      description:
        'Jobs of projects where the caller holds runner:read; a release job also needs deploy:<runtime>:read there. waiting_reason: no_runner_pool, no_online_runner, or queued with its 1-based position in the pool.',
      tags,
      permissions: ['runner:read'],
      scope: { kind: 'query', field: 'project_id' },
      request: { query: ListJobsQuery },
      responses: { 200: jsonResponse(listOf(JobSchema), 'Jobs'), ...errorResponses(...authErrors) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const { db } = c.var.deps.database;
      const filter = {
        projectId: q.project_id,
        runnerPoolId: q.runner_pool_id,
        status: q.status,
        kind: q.kind,
        visible: await visibility(c.var.grants),
      };
      const page = await listPage(q, {
        read: (w) => listJobs(db, { ...filter, before: w.after, limit: w.limit }),
        view: (row) => row,
      });
      const items = await toJobs(db, page.items, c.var.deps.clock.now());
      return c.json({ items, next_cursor: page.next_cursor }, 200);
    },
  )
  .openapi(
    secured({
      method: 'get',
      path: '/jobs/{id}',
      operationId: 'getJob',
      summary: 'Get a job with its steps (masked output) and, while queued, why it waits',
      tags,
      permissions: ['runner:read'],
      scope: {
        kind: 'resource',
        projectOf: async (c, id) => (await findJob(c.var.deps.database.db, id))?.projectId,
      },
      request: { params: IdParam },
      responses: { 200: jsonResponse(JobDetail, 'The job'), ...errorResponses(...authErrors, 404) },
    }),
    async (c) => {
      const { db } = c.var.deps.database;
      const row = await findJobView(db, c.req.valid('param').id);
      if (!row) throw notFound('job');
      const runtime = row.kind === 'release_apply' ? row.payload.runtime_type : undefined;
      if (runtime === 'k8s' || runtime === 'compose')
        await requirePermissions(c.var.grants, [`deploy:${runtime}:read`], row.projectId);
      const [job] = await toJobs(db, [row], c.var.deps.clock.now());
      const steps = await listSteps(db, row.id);
      return c.json({ ...(job as JobSchema), steps: steps.map(toStep) }, 200);
    },
  );
