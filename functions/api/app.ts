import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { requestId } from 'hono/request-id';
import { matchedRoutes } from 'hono/route';
import { newId } from '../platform/ids';
import { approvalsRoutes } from './approvals/routes';
import { auditRoutes } from './audit/routes';
import { authRoutes } from './auth/routes';
import { ciRoutes } from './ci/routes';
import { clustersRoutes } from './clusters/routes';
import { credentialsRoutes } from './credentials/routes';
import type { Deps } from './deps';
import type { ApiEnv } from './env';
import { environmentsRoutes } from './environments/routes';
import { ApiError, errorBody } from './errors';
import { healthRoutes, readyRoutes } from './health/routes';
import { hostsRoutes } from './hosts/routes';
import { installsRoutes } from './installs/routes';
import { jobsRoutes } from './jobs/routes';
import { keysRoutes } from './keys/routes';
import { onError, validationHook } from './middleware/errors';
import { sendQueuedAfter } from './middleware/outbox';
import { policyRoutes } from './policy/routes';
import { projectsRoutes } from './projects/routes';
import { rbacRoutes } from './rbac/routes';
import { releasesRoutes } from './releases/routes';
import { BEARER, RUNNER_AUTH } from './route';
import { dispatchQueued } from './runners/dispatch';
import { runnersRoutes } from './runners/routes';
import { servicesRoutes } from './services/routes';
import { statusRoutes } from './status/routes';
import { targetsRoutes } from './targets/routes';
import { usersRoutes } from './users/routes';

export const API_BASE = '/api/v1';
/** SPEC §3: request bodies above 1 MiB are refused before they are read whole. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** Every domain, in one explicit list. */
const DOMAINS = [
  authRoutes,
  readyRoutes,
  usersRoutes,
  rbacRoutes,
  projectsRoutes,
  environmentsRoutes,
  installsRoutes,
  credentialsRoutes,
  hostsRoutes,
  clustersRoutes,
  keysRoutes,
  targetsRoutes,
  statusRoutes,
  servicesRoutes,
  releasesRoutes,
  approvalsRoutes,
  policyRoutes,
  auditRoutes,
  runnersRoutes,
  jobsRoutes,
  ciRoutes,
];

export type AppOptions = {
  /** Resolved on the first request that needs it and then reused; never at import time. */
  deps: () => Promise<Deps>;
};

export function createApp(opts: AppOptions) {
  const app = new OpenAPIHono<ApiEnv>({ defaultHook: validationHook });
  app.onError(onError);
  app.notFound((c) => c.json(errorBody('NOT_FOUND', 'no such route', c.get('requestId') ?? 'unknown'), 404));
  app.use('*', requestId({ generator: () => newId('req'), headerName: 'X-Request-Id' }));

  const api = new OpenAPIHono<ApiEnv>({ defaultHook: validationHook });
  api.route('/', healthRoutes);
  api.doc31('/openapi.json', (c) => ({
    openapi: '3.1.0',
    info: {
      title: 'k8s-manage API',
      version: '1.0.0',
      description: 'Governed releases to Kubernetes and Docker Compose.',
      license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' },
    },
    servers: [{ url: new URL(API_BASE, c.req.url).toString(), description: 'This server' }],
    tags: [
      { name: 'health', description: 'Liveness and readiness' },
      { name: 'identity', description: 'Users, login, roles and role bindings' },
      { name: 'projects', description: 'Projects' },
      { name: 'environments', description: 'Environments of a project' },
      {
        name: 'installs',
        description: "Install tasks: runtime bundles installed on, or removed from, an environment's hosts",
      },
      {
        name: 'credentials',
        description: 'Envelope-encrypted credentials: masked metadata, rotation, reveal by ticket',
      },
      { name: 'hosts', description: 'SSH hosts and their pinned host keys' },
      {
        name: 'clusters',
        description: 'Kubernetes clusters imported by kubeconfig, certificate set or token',
      },
      { name: 'keys', description: 'Rotation of the key that wraps every data key' },
      { name: 'targets', description: 'Deploy targets: a cluster namespace or a set of compose hosts' },
      { name: 'services', description: 'Services: the templates a release renders' },
      { name: 'releases', description: 'Preview, apply and roll back releases' },
      { name: 'approvals', description: 'The one approval inbox and the per-project policy' },
      { name: 'audit', description: 'The audit stream, its verification and timelines' },
      { name: 'runners', description: 'Runner pools, runners, and the protocol runners speak' },
      {
        name: 'ci',
        description: 'CI pipelines, the signed webhooks their providers send, and the builds they report',
      },
    ],
    security: [{ [BEARER]: [] }],
  }));
  api.openAPIRegistry.registerComponent('securitySchemes', BEARER, {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
  });
  api.openAPIRegistry.registerComponent('securitySchemes', RUNNER_AUTH, {
    type: 'http',
    scheme: 'bearer',
    description: 'A runner token from POST /runner/register',
  });

  api.use(
    '*',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: () => {
        throw new ApiError('PAYLOAD_TOO_LARGE', 'request body too large');
      },
    }),
  );
  api.use('*', async (c, next) => {
    // A path no route serves gets its 404 without resolving settings or connections.
    if (!matchedRoutes(c).some((r) => r.method !== 'ALL')) return next();
    const started = performance.now();
    c.set('deps', await opts.deps());
    await next();
    c.var.deps.logger.info('request', {
      request_id: c.var.requestId,
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      ms: Math.round(performance.now() - started),
    });
  });
  api.use('*', sendQueuedAfter(dispatch));
  for (const domain of DOMAINS) api.route('/', domain);

  app.route(API_BASE, api);
  return app;
}

/** Sends the messages of jobs the request queued; a failure leaves them to the sweep. */
async function dispatch(deps: Deps) {
  try {
    await dispatchQueued(deps.database.db, deps.queue, deps.clock);
  } catch (e) {
    deps.logger.warn('job dispatch failed; the sweep retries', { error: (e as Error).name });
  }
}

export type App = ReturnType<typeof createApp>;
