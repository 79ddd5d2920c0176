import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { handle } from 'hono/aws-lambda';

/**
 * The least an OpenAPI-first Hono app is: zod, zod-openapi and one described route. Its import
 * cost is what every route of the API builds on, before any route of its own.
 */
const Health = z.object({ status: z.literal('ok') });
const app = new OpenAPIHono().openapi(
  createRoute({
    method: 'get',
    path: '/api/v1/health',
    responses: { 200: { description: 'Alive', content: { 'application/json': { schema: Health } } } },
  }),
  (c) => c.json({ status: 'ok' as const }, 200),
);

export const handler = handle(app);
