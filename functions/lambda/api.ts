import { handle } from 'hono/aws-lambda';
import { createApp } from '../api/app';
import { once } from '../api/deps';

/**
 * The API on Lambda (API Gateway HTTP API v2 events). Nothing connects at import: settings,
 * database and keys are resolved by the first request that needs them, and so are the modules
 * that read them (the settings schema is zod, which liveness never loads).
 */
const migrationsDir = new URL('./migrations', import.meta.url).pathname;
const app = createApp({
  deps: once(async () => {
    const [{ buildDeps }, { loadConfig }] = await Promise.all([
      import('../api/deps'),
      import('../platform/config'),
    ]);
    return buildDeps(loadConfig(), { migrationsDir });
  }),
});

export const handler = handle(app);
