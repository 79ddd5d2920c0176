import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { CONTENT_SECURITY_POLICY } from '../../shared/web/csp';

const ROOT = resolve(import.meta.dirname, '../..');
export const WEB_SOURCE_DIR = join(ROOT, 'web');
export const WEB_BUILD_DIR = join(ROOT, 'dist', 'web');

/** The newest modification time under `dir` (node_modules and build output aside). */
function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue;
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** True when the SPA's sources changed after its last build, or it was never built. */
export function webBuildIsStale(sourceDir = WEB_SOURCE_DIR, buildDir = WEB_BUILD_DIR): boolean {
  const index = join(buildDir, 'index.html');
  if (!existsSync(index)) return true;
  return newestMtime(sourceDir) > statSync(index).mtimeMs;
}

/**
 * Builds the SPA with Vite into `dist/web` (the same build `npm run build` makes). It builds beside
 * the old one and swaps it in, so a server already serving the old build never sees half a build,
 * and two servers starting at once each swap in a complete one. `manifest` writes
 * `.vite/manifest.json`, which the web bench reads to size the first page's chunks.
 */
export async function buildWeb(
  opts: { logLevel?: 'info' | 'warn' | 'silent'; outDir?: string; manifest?: boolean } = {},
) {
  const { build } = await import('vite');
  const outDir = opts.outDir ?? WEB_BUILD_DIR;
  const temp = `${outDir}.build-${process.pid}-${Date.now()}`;
  try {
    await build({
      configFile: join(WEB_SOURCE_DIR, 'vite.config.ts'),
      logLevel: opts.logLevel ?? 'warn',
      // The manifest (chunk → imports) is for measuring a build, never for one that is served.
      build: { outDir: temp, emptyOutDir: true, manifest: opts.manifest ?? false },
    });
    rmSync(outDir, { recursive: true, force: true });
    renameSync(temp, outDir);
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}

/**
 * The SPA beside the API on one origin: files of the build as they are, and every other path
 * that is not the API's answered with `index.html`, so `/releases/rel_…` can be bookmarked. Each
 * answer carries the same Content-Security-Policy CloudFront sends.
 */
export function webApp(buildDir = WEB_BUILD_DIR) {
  const web = new Hono();
  web.use('*', async (c, next) => {
    await next();
    c.header('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'no-referrer');
    c.header('X-Frame-Options', 'DENY');
  });
  // Hashed assets never change under their name; index.html must be re-read to find new ones.
  web.use(
    '/assets/*',
    serveStatic({
      root: buildDir,
      onFound: (_path, c) => {
        c.header('Cache-Control', 'public, max-age=31536000, immutable');
      },
    }),
  );
  web.use('*', serveStatic({ root: buildDir }));
  web.get('*', (c) => {
    const index = join(buildDir, 'index.html');
    if (!existsSync(index)) return c.text('the web app is not built; run npm run build', 503);
    c.header('Cache-Control', 'no-cache');
    return c.html(readFileSync(index, 'utf8'));
  });
  return web;
}
