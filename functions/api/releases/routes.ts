import { OpenAPIHono, z } from '@hono/zod-openapi';
import { AuditEvent } from '../../../shared/contracts/audit';
import { ReleaseBuild } from '../../../shared/contracts/cd';
import { ReleaseSteps } from '../../../shared/contracts/jobs';
import {
  ApplyReleaseRequest,
  LIFECYCLE_STATES,
  PreviewReleaseRequest,
  Release,
  ReleaseRevision,
  stateOfStatus,
} from '../../../shared/releases';
import { toAuditEvent } from '../audit/view';
import { buildOfRelease } from '../cd/chain';
import { serviceCtx } from '../context';
import type { ApiEnv } from '../env';
import { invalid, notFound } from '../errors';
import { conditionalJson, notModified } from '../etag';
import { stepsOfResource } from '../jobs/view';
import { requirePermissions, type Scope } from '../middleware/authorize';
import { validationHook } from '../middleware/errors';
import { AfterSeq, authErrors, errorResponses, IdParam, jsonBody, jsonResponse, listOf } from '../openapi';
import { listPage } from '../pagination';
import { projectsWithAll } from '../rbac/projects-with-all';
import { secured } from '../route';
import { findTarget } from '../targets/repo';
import { applyRelease } from './apply';
import { cancelRelease } from './cancel';
import { previewRelease, previewRollback } from './preview';
import { findRelease, listReleases, type ReleaseRow, timelineEvents } from './repo';
import { toRelease, toRevision } from './view';

const tags = ['releases'];

const releaseScope: Scope = {
  kind: 'resource',
  projectOf: async (c, id) => {
    const r = await findRelease(c.var.deps.database.db, id);
    c.set('scoped', r);
    return r?.projectId;
  },
};

const ctxOf = (c: { var: ApiEnv['Variables'] }) => ({
  ...serviceCtx(c),
  grants: c.var.grants,
  keys: c.var.deps.keys,
  testMaxAgeSeconds: c.var.deps.config.testMaxAgeSeconds,
});

const ListReleasesQuery = z.object({
  project_id: z.string().max(64).optional(),
  runtime_type: z.enum(['k8s', 'compose']).optional(),
  service_id: z.string().max(64).optional(),
  target_id: z.string().max(64).optional(),
  environment_id: z.string().max(64).optional(),
  /** The legacy status or the lifecycle state; both vocabularies are accepted. */
  status: z.string().max(32).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});

const TimelineQuery = z.object({ after: AfterSeq });

/** SPEC §7.2: a release a CD policy made from a build carries that build. */
const ReleaseWithBuild = Release.extend({ build: ReleaseBuild.nullable() });

/** Reading one release needs the generic permission and its runtime's. */
async function readable(c: { var: ApiEnv['Variables'] }, id: string) {
  const scoped = c.var.scoped as ReleaseRow | undefined;
  const r = scoped?.id === id ? scoped : await findRelease(c.var.deps.database.db, id);
  if (!r) throw notFound('release');
  await requirePermissions(
    c.var.grants,
    ['deploy:release:read', `deploy:${r.runtimeType}:read`],
    r.projectId,
  );
  return r;
}

export const releasesRoutes = new OpenAPIHono<ApiEnv>({ defaultHook: validationHook })
  .openapi(
    secured({
      method: 'post',
      path: '/deploy/releases/preview',
      operationId: 'previewRelease',
      summary: 'Render, validate, diff and assess a release; the preview_ref is what apply accepts',
      tags,
      permissions: ['deploy:release:apply'],
      scope: {
        kind: 'body-resource',
        field: 'target_id',
        projectOf: async (c, id) => (await findTarget(c.var.deps.database.db, id))?.projectId,
      },
      request: { body: jsonBody(PreviewReleaseRequest) },
      responses: {
        201: jsonResponse(Release, 'The release in preview'),
        ...errorResponses(...authErrors, 413),
      },
    }),
    async (c) => c.json(await previewRelease(c.req.valid('json'), ctxOf(c)), 201),
  )
  .openapi(
    secured({
      method: 'post',
      path: '/deploy/releases/apply',
      operationId: 'applyRelease',
      summary: 'Apply a preview: a ticket where the policy wants one, else the job is queued',
      description:
        'Needs the permissions of what the preview prepares: deploy:release:apply and deploy:<runtime>:apply, or the rollback ones for a rollback preview. One release runs per target at a time: while another is approved or applying, this answers 409 TARGET_BUSY; retry once it ends.',
      tags,
      permissions: [],
      scope: { kind: 'authenticated' },
      request: { body: jsonBody(ApplyReleaseRequest) },
      responses: {
        202: jsonResponse(Release, 'Pending approval or approved'),
        ...errorResponses(...authErrors, 404, 409),
      },
    }),
    async (c) => c.json(await applyRelease(c.req.valid('json'), ctxOf(c)), 202),
  )
  .openapi(
    secured({
      method: 'get',
      path: '/deploy/releases',
      operationId: 'listReleases',
      summary: 'List releases, newest first; releases of runtimes the caller may not read are hidden',
      tags,
      permissions: ['deploy:release:read'],
      scope: { kind: 'query', field: 'project_id' },
      request: { query: ListReleasesQuery },
      responses: { 200: jsonResponse(listOf(Release), 'Releases'), ...errorResponses(...authErrors) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const state = q.status
        ? (LIFECYCLE_STATES.find((s) => s === q.status) ?? stateOfStatus(q.status))
        : undefined;
      if (q.status && !state) throw invalid('status', 'not a release status');
      const g = c.var.grants;
      // A release is shown where the caller may read releases and that release's runtime.
      const readable = {
        k8s: await projectsWithAll(g, 'deploy:release:read', 'deploy:k8s:read'),
        compose: await projectsWithAll(g, 'deploy:release:read', 'deploy:compose:read'),
      };
      const { db } = c.var.deps.database;
      const filter = {
        runtimeType: q.runtime_type,
        serviceId: q.service_id,
        targetId: q.target_id,
        environmentId: q.environment_id,
        projectId: q.project_id,
        lifecycleState: state,
        readable,
      };
      return c.json(
        await listPage(q, {
          read: (w) => listReleases(db, { ...filter, before: w.after, limit: w.limit }),
          view: toRelease,
        }),
        200,
      );
    },
  )
  .openapi(
    secured({
      method: 'get',
      path: '/deploy/releases/{id}',
      operationId: 'getRelease',
      summary: 'Get a release',
      tags,
      permissions: ['deploy:release:read'],
      scope: releaseScope,
      request: { params: IdParam },
      responses: {
        200: jsonResponse(ReleaseWithBuild, 'The release, with the build it came from'),
        ...errorResponses(...authErrors, 404),
      },
    }),
    async (c) => {
      const r = await readable(c, c.req.valid('param').id);
      return c.json({ ...toRelease(r), build: await buildOfRelease(c.var.deps.database.db, r) }, 200);
    },
  )
  .openapi(
    secured({
      method: 'get',
      path: '/deploy/releases/{id}/revision',
      operationId: 'getReleaseRevision',
      summary: 'The masked revision of a release and its digests; sha256 of masked_revision is masked_digest',
      tags,
      permissions: ['deploy:release:read'],
      scope: releaseScope,
      request: { params: IdParam },
      responses: {
        200: jsonResponse(ReleaseRevision, 'The masked revision'),
        ...errorResponses(...authErrors, 404),
      },
    }),
    async (c) => c.json(toRevision(await readable(c, c.req.valid('param').id)), 200),
  )
  .openapi(
    secured({
      method: 'get',
      path: '/deploy/releases/{id}/timeline',
      operationId: 'getReleaseTimeline',
      summary: 'What happened to a release, in order: preview, tickets and decisions, runner steps, outcome',
      tags,
      permissions: ['deploy:release:read'],
      scope: releaseScope,
      description:
        'With `after` (the `seq` of the last event the caller holds), only the events after it. Answers carry an ETag; sending it back as If-None-Match gives 304 while nothing new happened.',
      request: { params: IdParam, query: TimelineQuery },
      responses: {
        200: jsonResponse(z.object({ release_id: z.string(), items: z.array(AuditEvent) }), 'The timeline'),
        ...notModified,
        ...errorResponses(...authErrors, 404),
      },
    }),
    async (c) => {
      const r = await readable(c, c.req.valid('param').id);
      const { after } = c.req.valid('query');
      const events = await timelineEvents(c.var.deps.database.db, r, after);
      return conditionalJson(c, { release_id: r.id, items: events.map(toAuditEvent) });
    },
  )
  .openapi(
    secured({
      method: 'get',
      path: '/deploy/releases/{id}/steps',
      operationId: 'getReleaseSteps',
      summary:
        "Every step of the release's job(s): name, host, attempt, status, times, error code, masked output excerpt",
      description:
        'The output is what the platform stored: masked with the secrets sealed into the job before it was kept.',
      tags,
      permissions: ['deploy:release:read'],
      scope: releaseScope,
      request: { params: IdParam },
      responses: {
        200: jsonResponse(ReleaseSteps, 'The steps'),
        ...errorResponses(...authErrors, 404),
      },
    }),
    async (c) => {
      const r = await readable(c, c.req.valid('param').id);
      const items = await stepsOfResource(c.var.deps.database.db, 'release', r.id);
      return c.json({ release_id: r.id, items }, 200);
    },
  )
  .openapi(
    secured({
      method: 'post',
      path: '/deploy/releases/{id}/rollback/preview',
      operationId: 'previewRollback',
      summary: 'Preview returning the target to the revision before this release',
      tags,
      permissions: ['deploy:release:rollback'],
      scope: releaseScope,
      request: { params: IdParam },
      responses: {
        201: jsonResponse(Release, 'The rollback release in preview'),
        ...errorResponses(...authErrors, 404, 409),
      },
    }),
    async (c) => c.json(await previewRollback(c.req.valid('param').id, ctxOf(c)), 201),
  )
  .openapi(
    secured({
      method: 'post',
      path: '/deploy/releases/{id}/cancel',
      operationId: 'cancelRelease',
      summary: 'Withdraw a release no runner has claimed yet (pending_approval or approved)',
      description:
        'Its requester may, and so may a holder of its apply permissions (deploy:release:apply and deploy:<runtime>:apply, or the rollback ones for a rollback release). A still-pending ticket expires, a decided one stays as decided; the queued job ends and the target is free. A claimed (applying) or finished release answers 409.',
      tags,
      permissions: [],
      scope: releaseScope,
      request: { params: IdParam },
      responses: {
        200: jsonResponse(Release, 'The cancelled release'),
        ...errorResponses(...authErrors, 404, 409),
      },
    }),
    async (c) => c.json(await cancelRelease(c.req.valid('param').id, ctxOf(c)), 200),
  );
