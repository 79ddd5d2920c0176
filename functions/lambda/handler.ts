import { handle } from 'hono/aws-lambda';
import { createApp } from '../api/app';
import { once } from '../api/deps';

/**
 * The API on Lambda (API Gateway HTTP API v2 events). Nothing connects at import: settings,
 * database and keys are resolved by the first request that needs them, and so are the modules
 * that read them (the settings schema is zod, which liveness never loads).
 *
 * `migrationsDir` comes from each entry file: the bundle splits shared code into chunks/, so only
 * an entry's own `import.meta.url` points at the folder the migrations ship in.
 */
export function lambdaHandler(migrationsDir: string) {
  const app = createApp({
    deps: once(async () => {
      const [{ buildDeps }, { loadConfig }] = await Promise.all([
        import('../api/deps'),
        import('../platform/config'),
      ]);
      return buildDeps(loadConfig(), { migrationsDir });
    }),
  });
  return handle(app);
}
