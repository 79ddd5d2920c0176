import { Hono } from 'hono';
import { requestId } from 'hono/request-id';
import { getPath } from 'hono/utils/url';
import { newId } from '../platform/ids';
import type { Deps } from './deps';
import type { domainApp } from './domain-app';
import { DOMAINS_BY_SEGMENT } from './domains';
import type { ApiEnv } from './env';
import { errorBody } from './errors';
import { API_BASE } from './limits';
import { onError } from './middleware/errors';
import type { buildDocument } from './openapi-doc';

export { API_BASE, MAX_BODY_BYTES } from './limits';

export type AppOptions = {
  /** Resolved on the first request that needs it and then reused; never at import time. */
  deps: () => Promise<Deps>;
};

type DomainApp = ReturnType<typeof domainApp>;

/**
 * The API. Importing it loads Hono and nothing else: zod, the route schemas and the OpenAPI
 * generator are imported and built per group of domains, on the first request under their path
 * segment (functions/api/domains.ts), so a cold start pays for one domain rather than for all of
 * them, and liveness for none. Each group is built once per process and then reused.
 */
export function createApp(opts: AppOptions) {
  const built = new Map<string, DomainApp>();
  const building = new Map<string, Promise<DomainApp>>();
  const groupFor = (segment: string) => {
    let app = building.get(segment);
    if (!app) {
      const loads = DOMAINS_BY_SEGMENT[segment]!;
      app = Promise.all([import('./domain-app'), ...loads.map((load) => load())]).then(
        ([{ domainApp }, ...routers]) => {
          const domain = domainApp(routers, opts.deps);
          built.set(segment, domain);
          return domain;
        },
      );
      // A failed import is retried by the next request rather than remembered.
      app.catch(() => building.delete(segment));
      building.set(segment, app);
    }
    return app;
  };
  let document: ReturnType<typeof buildDocument> | undefined;

  const app = new Hono<ApiEnv>();
  app.onError(onError);
  app.notFound((c) => c.json(errorBody('NOT_FOUND', 'no such route', c.get('requestId') ?? 'unknown'), 404));
  app.use(`${API_BASE}/*`, async (c, next) => {
    const segment = segmentOf(c.req.path);
    if (!Object.hasOwn(DOMAINS_BY_SEGMENT, segment)) return next();
    return (await groupFor(segment)).fetch(c.req.raw, c.env);
  });
  app.use('*', requestId({ generator: () => newId('req'), headerName: 'X-Request-Id' }));
  // Documented with the other routes in health/routes.ts; answered here so that it loads nothing.
  app.get(`${API_BASE}/health`, (c) => c.json({ status: 'ok' as const }, 200));
  app.get(`${API_BASE}/openapi.json`, async (c) => {
    if (!document) {
      document = import('./openapi-doc').then((m) => m.buildDocument());
      document.catch(() => {
        document = undefined;
      });
    }
    return c.json((await document)(c.req.url, API_BASE));
  });
  // Once a domain's app is built, its requests go straight to it: no routing and no middleware
  // of this app in front of every authenticated request.
  const dispatch = app.fetch;
  app.fetch = (request, env, ctx) => {
    const domain = built.size ? built.get(segmentOf(getPath(request))) : undefined;
    return domain ? domain.fetch(request, env, ctx) : dispatch(request, env, ctx);
  };
  return app;
}

/** `/api/v1/projects/x` → `projects`; '' for a path outside the API. */
function segmentOf(path: string): string {
  if (!path.startsWith(`${API_BASE}/`)) return '';
  const rest = path.slice(API_BASE.length + 1);
  const end = rest.indexOf('/');
  return end < 0 ? rest : rest.slice(0, end);
}

export type App = ReturnType<typeof createApp>;
