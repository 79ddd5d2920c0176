import { OpenAPIHono, z } from '@hono/zod-openapi';
import { pendingMigrations } from '../../platform/db/migrate';
import type { ApiEnv } from '../env';
import { ApiError } from '../errors';
import { validationHook } from '../middleware/errors';
import { errorResponses, jsonResponse } from '../openapi';
import { open } from '../route';

const Health = z.object({ status: z.literal('ok') });
const Ready = z.object({ status: z.literal('ready'), database: z.enum(['pglite', 'postgres']) });

/** Liveness touches nothing: it must answer even before any setting or connection exists. */
export const healthRoutes = new OpenAPIHono<ApiEnv>({ defaultHook: validationHook }).openapi(
  open({
    method: 'get',
    path: '/health',
    operationId: 'getHealth',
    summary: 'Liveness',
    tags: ['health'],
    responses: { 200: jsonResponse(Health, 'Alive') },
  }),
  (c) => c.json({ status: 'ok' as const }, 200),
);

export const readyRoutes = new OpenAPIHono<ApiEnv>({ defaultHook: validationHook }).openapi(
  open({
    method: 'get',
    path: '/ready',
    operationId: 'getReady',
    summary: 'Readiness: the database answers and every migration is applied',
    tags: ['health'],
    responses: { 200: jsonResponse(Ready, 'Ready'), ...errorResponses(503 as never) },
  }),
  async (c) => {
    const { database, migrations } = c.var.deps;
    const pending = await pendingMigrations(database, migrations).catch(() => null);
    if (pending === null) throw new ApiError('NOT_READY', 'database unreachable');
    if (pending.length) throw new ApiError('NOT_READY', `migrations pending: ${pending.join(', ')}`);
    return c.json({ status: 'ready' as const, database: database.kind }, 200);
  },
);
