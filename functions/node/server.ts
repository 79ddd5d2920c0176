import { serve } from '@hono/node-server';
import { createApp } from '../api/app';
import { buildDeps } from '../api/deps';
import { runSweeps } from '../api/sweeps';
import { bootstrap } from '../api/users/bootstrap';
import { type Config, ConfigError, loadConfig } from '../platform/config';
import { migrateUp } from '../platform/db/migrate';
import { acquireLock, LockedError } from '../platform/lock-file';
import { buildWeb, webApp, webBuildIsStale } from './web';

async function prepare(config: Config) {
  const deps = await buildDeps(config);
  const applied = await migrateUp(deps.database, deps.migrations);
  return { deps, applied, boot: await bootstrap(deps) };
}

/** Expiry is also checked on every decision and apply; the sweep only tidies, so 5 s is plenty. */
const SWEEP_INTERVAL_MS = 5000;

/** `npm start`: migrate, bootstrap, and only then listen, so a 200 from /health means ready. */
async function main() {
  const config = loadConfig();
  const release = acquireLock(config.dataDir);
  const { deps, boot, applied } = await prepare(config).catch((e) => {
    release();
    throw e;
  });
  const log = deps.logger;
  if (applied.length) log.info('migrations applied', { applied });
  if (boot.created)
    log.info('bootstrap admin created', {
      username: boot.username,
      ...(boot.passwordFile ? { initial_admin_file: boot.passwordFile } : {}),
    });

  // `npm ci && npm start` is the whole product: the SPA is built here when its sources changed.
  if (webBuildIsStale()) {
    log.info('building the web app');
    await buildWeb().catch((e: Error) =>
      log.error('web app build failed; serving the API only', { err: e.message }),
    );
  }
  const app = createApp({ deps: async () => deps });
  const web = webApp();
  // Everything under /api/ is the API's (its own 404s included); every other path is the SPA's.
  const fetch = (req: Request) =>
    new URL(req.url).pathname.startsWith('/api/') ? app.fetch(req) : web.fetch(req);
  const server = serve({ fetch, port: config.port, hostname: '127.0.0.1' }, (info) =>
    log.info('listening', { url: `http://127.0.0.1:${info.port}/api/v1`, database: deps.database.kind }),
  );

  server.on('error', (e: NodeJS.ErrnoException) => {
    console.error(`cannot listen on 127.0.0.1:${config.port}: ${e.code ?? e.message}`);
    void deps.database.close().finally(() => {
      release();
      process.exit(1);
    });
  });

  // Locally a timer does what an EventBridge schedule does in the cloud.
  const sweep = setInterval(() => {
    runSweeps(deps).catch((e: Error) => log.error('sweep failed', { err: e }));
  }, SWEEP_INTERVAL_MS);
  sweep.unref();

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info('shutting down', { signal });
    clearInterval(sweep);
    server.close(async () => {
      await deps.database.close();
      release();
      process.exit(0);
    });
    // Idle keep-alive sockets would hold close() open; give requests in flight 10 s.
    setTimeout(() => {
      release();
      process.exit(1);
    }, 10_000).unref();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((e: Error) => {
  if (e instanceof ConfigError || e instanceof LockedError) console.error(e.message);
  else console.error('failed to start:', e.message);
  process.exit(1);
});
