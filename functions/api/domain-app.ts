import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { requestId } from 'hono/request-id';
import { matchedRoutes } from 'hono/route';
import { newId } from '../platform/ids';
import type { Deps } from './deps';
import type { ApiEnv } from './env';
import { ApiError, errorBody } from './errors';
import { API_BASE, MAX_BODY_BYTES } from './limits';
import { onError, validationHook } from './middleware/errors';
import { sendQueuedAfter } from './middleware/outbox';
import { dispatchQueued } from './runners/dispatch';

/**
 * Serves some domains' routes under /api/v1 with everything a route expects around it: request id,
 * body limit, dependencies, the request log line, job dispatch after the response, error mapping.
 * Built once per group of domains, on the first request under their path segment.
 */
export function domainApp(routers: readonly OpenAPIHono<ApiEnv>[], deps: () => Promise<Deps>) {
  const app = new OpenAPIHono<ApiEnv>({ defaultHook: validationHook });
  app.onError(onError);
  app.notFound((c) => c.json(errorBody('NOT_FOUND', 'no such route', c.get('requestId') ?? 'unknown'), 404));
  app.use('*', requestId({ generator: () => newId('req'), headerName: 'X-Request-Id' }));

  const api = new OpenAPIHono<ApiEnv>({ defaultHook: validationHook });
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
    c.set('deps', await deps());
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
  for (const router of routers) api.route('/', router);

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
