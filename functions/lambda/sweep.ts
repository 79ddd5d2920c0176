import { buildDeps, once } from '../api/deps';
import { runSweeps } from '../api/sweeps';
import { loadConfig } from '../platform/config';

/** Scheduled (EventBridge): expires tickets and previews, anchors the audit chain. */
const deps = once(() =>
  buildDeps(loadConfig(), { migrationsDir: new URL('./migrations', import.meta.url).pathname }),
);

export const handler = async () => runSweeps(await deps());
