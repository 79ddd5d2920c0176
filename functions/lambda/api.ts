import { handle } from 'hono/aws-lambda';
import { createApp } from '../api/app';
import { buildDeps, once } from '../api/deps';
import { loadConfig } from '../platform/config';

/**
 * The API on Lambda (API Gateway HTTP API v2 events). Nothing connects at import: settings,
 * database and keys are resolved by the first request that needs them.
 */
const migrationsDir = new URL('./migrations', import.meta.url).pathname;
const app = createApp({ deps: once(() => buildDeps(loadConfig(), { migrationsDir })) });

export const handler = handle(app);
