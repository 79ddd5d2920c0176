import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { APIRequestContext, Page } from 'playwright-core';
import { buildWeb, WEB_BUILD_DIR, webBuildIsStale } from '../functions/node/web';
import { chromiumAvailable, launch } from '../test/browser/chromium';
import { freePort, killAll, login, startServer, waitHealthy } from '../test/e2e/server-process';
import { machine } from './machine';
import { fmt, median, percentile, ratio, table } from './stats';
import { type Load, loadOnce, type Probe } from './web-page';
import { seedDeployPage } from './web-seed';
import { ENTRY_JS_BUDGET_BYTES, webSizes } from './web-sizes';

export type WebOptions = { runs: number; warmup: number; services: number };

export const ADMIN = { username: 'bench-admin', password: 'bench admin password, not a secret' };
const INTERACTIVE_BUDGET_MS = 1000;
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

const FLOOR_HTML = '<!doctype html><html lang="en"><title>floor</title><h1>ready</h1></html>';

/** The least a page load can cost here: one small HTML answer from a bare node:http on loopback. */
async function floorServer() {
  const srv = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(FLOOR_HTML);
  });
  await new Promise<void>((ok) => srv.listen(0, '127.0.0.1', ok));
  return { origin: `http://127.0.0.1:${(srv.address() as AddressInfo).port}`, close: () => srv.close() };
}

/** A reload of a signed-in tab: the session comes back from the refresh cookie. */
export const signInFirst = (origin: string) => async (request: APIRequestContext) => {
  const res = await request.post(`${origin}/api/v1/auth/login`, { data: ADMIN });
  if (res.status() !== 200) throw new Error(`login answered ${res.status()}`);
};

/** Deploy is usable: "Preview" shown, "Service" enabled, and the answers its lists need received. */
export const DEPLOY_PROBE: Probe = {
  selector: 'button',
  text: 'Preview',
  field: 'Service',
  apis: ['/api/v1/me', '/api/v1/services', '/api/v1/environments', '/api/v1/deploy/targets'],
  confirm: async (page) => {
    await page.getByRole('button', { name: 'Preview' }).waitFor();
    const service = page.getByRole('combobox', { name: 'Service', exact: true });
    if (!(await service.isEnabled())) throw new Error('Service combobox disabled');
  },
};

const scripts = (html: string) => [...html.matchAll(/src="(\/assets\/[^"]+\.js)"/g)].map((m) => m[1]);

type Variant = {
  name: string;
  url: string;
  probe: Probe;
  prepare?: (request: APIRequestContext) => Promise<void>;
};

export async function webBench(opts: WebOptions): Promise<string> {
  if (!chromiumAvailable())
    throw new Error('the web bench needs Chromium (K8SM_TEST_CHROMIUM or /usr/bin/chromium)');
  const where = machine();
  const startedAt = new Date().toISOString();
  const work = await mkdtemp(join(tmpdir(), 'k8sm-bench-web-'));
  const floor = await floorServer();
  let browser: Awaited<ReturnType<typeof launch>> | undefined;
  try {
    // (a) What the build sends: the same build `npm start` serves, made again with a manifest.
    const measured = join(work, 'web');
    await buildWeb({ outDir: measured, manifest: true, logLevel: 'silent' });
    const sizes = webSizes(measured);
    if (webBuildIsStale()) await buildWeb({ logLevel: 'silent' });
    const served = scripts(readFileSync(join(WEB_BUILD_DIR, 'index.html'), 'utf8'));
    const built = scripts(readFileSync(join(measured, 'index.html'), 'utf8'));
    if (served.join() !== built.join())
      throw new Error(`dist/web loads ${served}, the measured build ${built}: not the same build`);

    // (b) The real `npm start` on its embedded database, in its own data dir.
    const server = startServer({
      K8SM_PORT: String(await freePort()),
      K8SM_DATA_DIR: join(work, 'data'),
      K8SM_BOOTSTRAP_ADMIN: `${ADMIN.username}:${ADMIN.password}`,
      K8SM_LOG_LEVEL: 'warn',
    });
    await waitHealthy(server);
    const origin = `http://127.0.0.1:${server.port}`;
    const signedIn = await login(server, ADMIN.username, ADMIN.password);
    if (signedIn.status !== 200) throw new Error(`bench login answered ${signedIn.status}`);
    await seedDeployPage(server, signedIn.json.access_token, opts.services);

    const variants: Variant[] = [
      {
        name: 'static page, bare node:http (floor)',
        url: `${floor.origin}/`,
        probe: {
          selector: 'h1',
          text: 'ready',
          apis: [],
          confirm: (page: Page) => page.getByRole('heading', { name: 'ready' }).waitFor(),
        },
      },
      {
        name: 'Sign-in page, signed out (baseline)',
        url: `${origin}/login`,
        probe: {
          selector: 'button',
          text: 'Sign in',
          field: 'Username',
          apis: [],
          confirm: async (page) => {
            await page.getByRole('button', { name: 'Sign in' }).waitFor();
            if (!(await page.getByLabel('Username').isEnabled())) throw new Error('Username disabled');
          },
        },
      },
      {
        name: 'Deploy page, signed in',
        url: `${origin}/`,
        prepare: signInFirst(origin),
        probe: DEPLOY_PROBE,
      },
    ];

    browser = await launch();
    const samples = new Map<string, Load[]>(variants.map((v) => [v.name, []]));
    for (let i = 0; i < opts.warmup + opts.runs; i++) {
      // Rotate the order so that no variant always runs right after the same neighbour.
      for (let j = 0; j < variants.length; j++) {
        const v = variants[(i + j) % variants.length]!;
        const load = await loadOnce(browser, v.url, v.probe, v.prepare);
        if (i >= opts.warmup) samples.get(v.name)!.push(load);
      }
    }
    return report({ opts, where, startedAt, sizes, variants, samples });
  } finally {
    await browser?.close();
    await killAll();
    floor.close();
    await rm(work, { recursive: true, force: true });
  }
}

function report(r: {
  opts: WebOptions;
  where: string;
  startedAt: string;
  sizes: ReturnType<typeof webSizes>;
  variants: Variant[];
  samples: Map<string, Load[]>;
}): string {
  const { sizes, variants, samples, opts } = r;
  const usable = (v: Variant) => samples.get(v.name)!.map((l) => l.usable);
  const [, baseV, deployV] = variants as [Variant, Variant, Variant];
  const base = { median: median(usable(baseV)), p90: percentile(usable(baseV), 90) };
  const rows = variants.map((v) => {
    const u = usable(v);
    const [m, p90] = [median(u), percentile(u, 90)];
    return [v.name, fmt(m), fmt(p90), fmt(Math.min(...u)), ratio(m, base.median), ratio(p90, base.p90)];
  });

  // Where the Deploy page's time goes, each a median of "ms after navigation start".
  const deploy = samples.get(deployV.name)!;
  const at = (f: (l: Load) => number | undefined) => {
    const xs = deploy.map(f).filter((x): x is number => x !== undefined);
    return xs.length ? fmt(median(xs)) : '—';
  };
  const end = (l: Load, match: (path: string) => boolean) => {
    const ends = l.resources.filter((x) => match(x.path)).map((x) => x.end);
    return ends.length ? Math.max(...ends) : undefined;
  };
  const entry = new Set(sizes.entryFiles.map((f) => `/${f}`));
  const lists = new Set(deployV.probe.apis);
  const phases = [
    ['index.html received', at((l) => l.document)],
    ['entry JavaScript received', at((l) => end(l, (p) => entry.has(p)))],
    [
      'session restored (POST /auth/refresh answered)',
      at((l) => end(l, (p) => p === '/api/v1/auth/refresh')),
    ],
    ['Deploy route chunk received', at((l) => end(l, (p) => /\/DeployPage-[^/]+\.js$/.test(p)))],
    ['Preview button shown, Service combobox enabled', at((l) => l.ui)],
    [
      'its lists answered (/me, /services, /environments, /deploy/targets)',
      at((l) => end(l, (p) => lists.has(p))),
    ],
  ];

  const deployRoute = sizes.routes.find((x) => x.route === 'DeployPage');
  const firstPage = sizes.entryJs.gzip + (deployRoute?.added.gzip ?? 0);
  const sizeVerdict = sizes.entryJs.gzip <= ENTRY_JS_BUDGET_BYTES ? 'meets' : 'misses';
  const deployMedian = median(usable(deployV));
  const deployP90 = percentile(usable(deployV), 90);
  const timeVerdict = deployMedian <= INTERACTIVE_BUDGET_MS ? 'meets' : 'misses';
  const routeRows = sizes.routes.map((x) => [
    x.route,
    kib(x.own.gzip),
    kib(x.own.raw),
    kib(x.added.gzip),
    kib(x.added.raw),
    String(x.files),
  ]);

  return `## Web app: first page size and time to an interactive Deploy page (\`web\`)

Measured ${r.startedAt} on ${r.where}.
Reproduce: \`npm run bench -- web\` (needs Chromium at /usr/bin/chromium or K8SM_TEST_CHROMIUM).

### What the first page loads

The SPA built by \`buildWeb\` (\`functions/node/web.ts\`, the build \`npm start\` serves), sized from
Vite's manifest. The entry is what \`index.html\` loads before any route: its module script, its
modulepreloads and their static imports (${sizes.entryFiles.length} file(s)). Gzip at zlib's default level.

${table(
  ['what', 'gzip', 'raw'],
  [
    ['entry JavaScript', kib(sizes.entryJs.gzip), kib(sizes.entryJs.raw)],
    ['entry CSS (Mantine, diff2html, app)', kib(sizes.entryCss.gzip), kib(sizes.entryCss.raw)],
    [
      'entry + Deploy route JavaScript (the first page after sign-in)',
      kib(firstPage),
      kib(sizes.entryJs.raw + (deployRoute?.added.raw ?? 0)),
    ],
  ],
)}

Budget ≤ ${kib(ENTRY_JS_BUDGET_BYTES)} gzipped for the entry JavaScript: **${sizeVerdict}**
(${kib(sizes.entryJs.gzip)}, ${fmt((100 * sizes.entryJs.gzip) / ENTRY_JS_BUDGET_BYTES, 0)} % of it).

Per route (React.lazy chunks), largest first. "Adds" is the route's chunk plus the shared chunks it
imports that the entry has not loaded (CodeMirror comes with the template editor, diff2html with the
diff view):

${table(['route', 'own chunk gzip', 'own raw', 'adds gzip', 'adds raw', 'files it adds'], routeRows)}

### Time until the Deploy page is interactive

The real \`npm start\` (embedded PGlite in a temp data dir, loopback) with one project, 2 environments,
2 compose targets and ${opts.services} services. Debian's Chromium, headless, 1280×800; every sample is a first
visit in a fresh browser context (empty cache). Time is the page's own \`performance.now()\` (0 = navigation
start) when it became usable, recorded in the page on every DOM mutation and frame, then confirmed with
Playwright's role queries: for Deploy, its "Preview" button shown and its "Service" combobox enabled, and
the answers its lists need received (the later of both); the session comes from the refresh cookie,
as on a reload of a signed-in tab. The baseline is the sign-in page of the same server ("Sign in" shown,
Username enabled): the same entry JavaScript, no session and no data. The floor is a one-line HTML page
from a bare \`node:http\` server on loopback. ${opts.runs} runs per variant after ${opts.warmup} warm-up rounds, interleaved.

${table(['page', 'median ms', 'p90 ms', 'min ms', 'median vs baseline', 'p90 vs baseline'], rows)}

Target ≤ ${INTERACTIVE_BUDGET_MS} ms for the Deploy page: **${timeVerdict}** (median ${fmt(deployMedian)} ms, p90 ${fmt(deployP90)} ms,
${fmt(deployMedian / base.median, 2)}× the sign-in page).

Where the Deploy page's time goes (medians, ms after navigation start):

${table(['moment', 'ms'], phases)}
`;
}
