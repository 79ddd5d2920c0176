import { createReadStream, existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, request as forward, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { buildWeb, WEB_BUILD_DIR, webBuildIsStale } from '../functions/node/web';
import { chromiumAvailable, launch } from '../test/browser/chromium';
import { freePort, killAll, login, startServer, waitHealthy } from '../test/e2e/server-process';
import { machine } from './machine';
import { fmt, median, percentile, table } from './stats';
import { ADMIN, DEPLOY_PROBE, signInFirst } from './web';
import { type Load, loadOnce } from './web-page';
import { seedDeployPage } from './web-seed';

export type WebCompareOptions = { runs: number; warmup: number; services: number; before: string };

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

/**
 * One build of the SPA in front of the API: its files from `dir` (index.html for any other path),
 * `/api/*` passed to the server. Both builds are served by the same code, so only the build differs.
 */
async function serveBuild(dir: string, apiPort: number): Promise<{ origin: string; server: Server }> {
  const server = createServer((req, res) => {
    const url = req.url ?? '/';
    if (url.startsWith('/api/')) {
      const up = forward(
        { host: '127.0.0.1', port: apiPort, path: url, method: req.method, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      up.on('error', () => res.destroy());
      req.pipe(up);
      return;
    }
    const asset = normalize(join(dir, url.split('?')[0]!));
    const file =
      url.startsWith('/assets/') && asset.startsWith(dir) && existsSync(asset)
        ? asset
        : join(dir, 'index.html');
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/**
 * The Deploy page of two builds of the SPA, interleaved in one run against one `npm start`: on a
 * shared machine whose load moves by the minute, only a comparison within a run says what a
 * change did. `before` is another build's output folder (`buildWeb({ outDir })` in a checkout of
 * the commit to compare with).
 */
export async function webCompare(opts: WebCompareOptions): Promise<string> {
  if (!chromiumAvailable()) throw new Error('the web bench needs Chromium');
  if (!existsSync(join(opts.before, 'index.html')))
    throw new Error(`K8SM_BENCH_WEB_BEFORE=${opts.before} holds no build of the SPA (index.html)`);
  const where = machine();
  const startedAt = new Date().toISOString();
  const work = await mkdtemp(join(tmpdir(), 'k8sm-bench-webcmp-'));
  const fronts: Server[] = [];
  let browser: Awaited<ReturnType<typeof launch>> | undefined;
  try {
    if (webBuildIsStale()) await buildWeb({ logLevel: 'silent' });
    const server = startServer({
      K8SM_PORT: String(await freePort()),
      K8SM_DATA_DIR: join(work, 'data'),
      K8SM_BOOTSTRAP_ADMIN: `${ADMIN.username}:${ADMIN.password}`,
      K8SM_LOG_LEVEL: 'warn',
    });
    await waitHealthy(server);
    const signedIn = await login(server, ADMIN.username, ADMIN.password);
    if (signedIn.status !== 200) throw new Error(`bench login answered ${signedIn.status}`);
    await seedDeployPage(server, signedIn.json.access_token, opts.services);

    const builds = [
      { name: 'before', ...(await serveBuild(opts.before, server.port)) },
      { name: 'this checkout', ...(await serveBuild(WEB_BUILD_DIR, server.port)) },
    ];
    fronts.push(...builds.map((b) => b.server));
    browser = await launch();
    const samples = new Map<string, Load[]>(builds.map((b) => [b.name, []]));
    for (let i = 0; i < opts.warmup + opts.runs; i++) {
      for (let j = 0; j < builds.length; j++) {
        const b = builds[(i + j) % builds.length]!;
        const load = await loadOnce(browser, `${b.origin}/`, DEPLOY_PROBE, signInFirst(b.origin));
        if (i >= opts.warmup) samples.get(b.name)!.push(load);
      }
    }

    const end = (l: Load, match: (p: string) => boolean) => {
      const ends = l.resources.filter((x) => match(x.path)).map((x) => x.end);
      return ends.length ? Math.max(...ends) : Number.NaN;
    };
    const lists = new Set(DEPLOY_PROBE.apis);
    const rows = builds.map((b) => {
      const s = samples.get(b.name)!;
      const u = s.map((l) => l.usable);
      const at = (f: (l: Load) => number) => fmt(median(s.map(f).filter((x) => !Number.isNaN(x))));
      return [
        b.name,
        fmt(median(u)),
        fmt(percentile(u, 90)),
        fmt(Math.min(...u)),
        at((l) => end(l, (p) => p === '/api/v1/auth/refresh')),
        at((l) => end(l, (p) => /\/DeployPage-[^/]+\.js$/.test(p))),
        at((l) => l.ui),
        at((l) => end(l, (p) => lists.has(p))),
      ];
    });
    return `## Web app: the Deploy page of this checkout against an earlier build (\`web-compare\`)

Measured ${startedAt} on ${where}.
Reproduce: build the earlier commit's SPA into a folder (\`buildWeb({ outDir })\` of
\`functions/node/web.ts\`, in a checkout of that commit), then
\`K8SM_BENCH_WEB_BEFORE=<folder> npm run bench -- web-compare\`.

The same page and probe as \`web\` (a reload of a signed-in tab; usable = "Preview" shown, "Service"
enabled and its lists answered), against one \`npm start\` with ${opts.services} services. Each build is served by the
same small loopback server in front of the API (files as they are, \`/api/*\` passed through), so
only the build differs. ${opts.runs} runs per build after ${opts.warmup} warm-up rounds, alternating. Medians of
ms after navigation start:

${table(['build', 'usable median', 'p90', 'min', 'refresh answered', 'route chunk received', 'Preview shown', 'lists answered'], rows)}
`;
  } finally {
    await browser?.close();
    await killAll();
    for (const f of fronts) f.close();
    await rm(work, { recursive: true, force: true });
  }
}
