import { Hono } from 'hono';
import { handle } from 'hono/aws-lambda';

/** The cold-start baseline: the least a Hono Lambda can be, bundled with the API's own options. */
const app = new Hono();
app.get('/api/v1/health', (c) => c.json({ status: 'ok' }));

export const handler = handle(app);
