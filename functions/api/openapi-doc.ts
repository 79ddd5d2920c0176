import { OpenAPIHono } from '@hono/zod-openapi';
import { ALL_DOMAINS } from './domains';
import type { ApiEnv } from './env';
import { healthRoutes } from './health/routes';
import { BEARER, RUNNER_AUTH } from './route';

type Document = ReturnType<OpenAPIHono['getOpenAPI31Document']>;

/**
 * The whole API's OpenAPI document, from every domain's route definitions. Built on the first
 * request for it (it needs every domain's schemas, which no other request does), then reused;
 * only `servers` depends on the request.
 */
export async function buildDocument(): Promise<(requestUrl: string, base: string) => Document> {
  const routers = await Promise.all(ALL_DOMAINS.map((load) => load()));
  const api = new OpenAPIHono<ApiEnv>();
  api.route('/', healthRoutes);
  for (const router of routers) api.route('/', router);
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
  // SPDX `identifier` is OpenAPI 3.1's; the generator's type knows only 3.0's license fields.
  const config = {
    openapi: '3.1.0',
    info: {
      title: 'k8s-manage API',
      version: '1.0.0',
      description: 'Governed releases to Kubernetes and Docker Compose.',
      license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' },
    },
    // Replaced per request; listed here so that the key keeps its place in the document.
    servers: [],
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
      {
        name: 'ai',
        description: 'The AI command bridge: a sentence in, the same preview, confirm and inbox out',
      },
    ],
    security: [{ [BEARER]: [] }],
  };
  const doc = api.getOpenAPI31Document(config);
  return (requestUrl, base) => ({
    ...doc,
    servers: [{ url: new URL(base, requestUrl).toString(), description: 'This server' }],
  });
}
