import type { MiddlewareHandler } from 'hono';
import type { Deps } from '../deps';
import type { ApiEnv } from '../env';
import { trackQueued } from '../jobs/outbox';

/**
 * The outbox: after a request that queued a job (any path, runner routes included), the queue
 * messages of committed jobs go out before the response; other requests never touch the queue.
 */
export const sendQueuedAfter =
  (send: (deps: Deps) => Promise<void>): MiddlewareHandler<ApiEnv> =>
  async (c, next) => {
    if (await trackQueued(next)) await send(c.var.deps);
  };
