import { existsSync } from 'node:fs';
import { copyFile, mkdir, readdir, rm } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type BuildOptions, build as esbuild, type Metafile, type Plugin } from 'esbuild';

const ROOT = resolve(import.meta.dirname, '..');
/**
 * What `import` of the entry may load before the first request; a Lambda cold start pays for all of
 * it. The API imports Hono and its own dispatch only (≈ 40 KiB): every domain, zod and the drivers
 * load on first use, so this budget is there to catch a static import that undoes that.
 */
export const ENTRY_BUDGET_BYTES = 300 * 1024;

/**
 * CommonJS dependencies expect what a CommonJS module is given: casbin and its helpers call
 * `require` for Node built-ins, ssh2 reads `__dirname`. An ESM bundle has none of them, so each
 * output file gets all three, bound to its own URL. (Minified ESM output renames every top-level
 * binding of the bundled code, so these names cannot collide with a module's own.)
 */
export const CJS_BANNER = [
  "import { createRequire as __k8smCreateRequire } from 'node:module';",
  "import { dirname as __k8smDirname } from 'node:path';",
  "import { fileURLToPath as __k8smFileURLToPath } from 'node:url';",
  'const require = __k8smCreateRequire(import.meta.url);',
  'const __filename = __k8smFileURLToPath(import.meta.url);',
  'const __dirname = __k8smDirname(__filename);',
].join(' ');

/**
 * zod 4 re-exports every locale as `z.locales`, which defeats tree shaking: 250 KiB of error-message
 * tables (60% of zod's bytes in the bundle) that every cold start would parse. The API answers in
 * English only and nothing calls `z.config(z.locales.xx())`, so the bundle keeps just `en` (which
 * zod imports on its own as the default); `z.locales.<other>` is undefined in the bundle.
 */
export const zodEnglishOnly: Plugin = {
  name: 'zod-english-only',
  setup(b) {
    b.onResolve({ filter: /\/locales\/index\.js$/ }, (args) => {
      if (!/[\\/]node_modules[\\/]zod[\\/]/.test(args.importer)) return undefined;
      const en = join(dirname(resolve(args.resolveDir, args.path)), 'en.js');
      return { path: en, namespace: 'zod-locales' };
    });
    b.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(args.path)};`,
      resolveDir: dirname(args.path),
      loader: 'js',
    }));
  },
};

/**
 * Options shared by the API bundle and the benchmark's bare baseline, so a cold-start comparison
 * measures the app and not the bundler settings.
 *
 * Why splitting: every driver, the AWS SDK and Casbin are imported with `import()` where first used
 * (functions/api/deps.ts, functions/platform/db/open.ts, secrets-manager.ts). With `splitting`,
 * esbuild turns each of those into its own chunk, so importing the handler loads only the Hono app
 * and its schemas; /health never loads a driver or the SDK, and the first authenticated request loads
 * just the chunks it needs. The SDK stays bundled (no reliance on the runtime's copy, whose version
 * we do not control) yet costs nothing until a secret is read.
 *
 * Why PGlite is external: the Lambda always runs on Postgres (DATABASE_URL or the RDS secret), and
 * PGlite loads its wasm and data files relative to its own module URL, which bundling breaks. It is
 * reached only through `import('./pglite')` for the embedded default, which runs from source via tsx.
 *
 * Why `*.node` and `cpu-features` are external: ssh2 (key parsing) tries its optional native addons
 * inside try/catch and falls back to Node's crypto. A native addon built on this machine would not
 * load on Lambda's arm64 anyway, so the bundle leaves them out and ssh2 takes its pure-JS path.
 *
 * Why `module` before `main`: a split build turns `await import('<CommonJS package>')` into a chunk
 * whose namespace has only `default`, so `const { SecretsManagerClient } = await import(..)` finds
 * nothing (the AWS SDK's `main` is CommonJS). Its ESM build (`module`) keeps the named exports, and
 * tree-shakes better too.
 *
 * Why no inline source map: it would double the bytes parsed at every cold start. The external
 * `.map` files sit next to the chunks for offline symbolication and are never loaded at run time.
 */
export function bundleOptions(entry: string | Record<string, string>, outdir: string): BuildOptions {
  return {
    entryPoints: typeof entry === 'string' ? { api: entry } : entry,
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    minify: true,
    treeShaking: true,
    sourcemap: 'external',
    mainFields: ['module', 'main'],
    outExtension: { '.js': '.mjs' },
    entryNames: '[name]',
    chunkNames: 'chunks/[name]-[hash]',
    banner: { js: CJS_BANNER },
    external: ['@electric-sql/pglite', '@electric-sql/pglite/*', '*.node', 'cpu-features'],
    plugins: [zodEnglishOnly],
    metafile: true,
    legalComments: 'none',
    logLevel: 'warning',
  };
}

export type ChunkSize = { file: string; bytes: number };
export type BundleReport = {
  outdir: string;
  entryFile: string;
  /** The entry file alone. */
  entryBytes: number;
  /** The entry plus every chunk it imports statically: what loads at import and for /health. */
  staticBytes: number;
  /** Everything reachable, dynamic imports included (the AWS SDK, drivers, Casbin). */
  reachableBytes: number;
  chunks: ChunkSize[];
  /** What `staticBytes` is made of, by npm package (or by our top-level folder), largest first. */
  staticByPackage: { name: string; bytes: number }[];
};

/** `node_modules/@scope/pkg/..` → `@scope/pkg`; our own files → their first two folders. */
function packageOf(input: string): string {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1];
  return pkg ?? input.split('/').slice(0, 2).join('/');
}

/** Sizes of the output graph from esbuild's metafile (paths in it are relative to the cwd). */
export function measure(metafile: Metafile, outdir: string, entryName = 'api.mjs'): BundleReport {
  const outputs = metafile.outputs;
  const key = (p: string) => resolve(p);
  const byPath = new Map(Object.entries(outputs).map(([p, o]) => [key(p), o]));
  const entryFile = resolve(outdir, entryName);
  const entry = byPath.get(entryFile);
  if (!entry) throw new Error(`esbuild produced no ${entryName} in ${outdir}`);

  const closure = (withDynamic: boolean) => {
    const seen = new Set<string>();
    const walk = (p: string) => {
      if (seen.has(p)) return;
      seen.add(p);
      for (const imp of byPath.get(p)?.imports ?? []) {
        if (imp.external) continue;
        if (imp.kind === 'dynamic-import' && !withDynamic) continue;
        walk(key(imp.path));
      }
    };
    walk(entryFile);
    return seen;
  };
  const bytesOf = (files: Set<string>) => [...files].reduce((sum, p) => sum + (byPath.get(p)?.bytes ?? 0), 0);
  const loadedAtImport = closure(false);
  const byPackage = new Map<string, number>();
  for (const p of loadedAtImport)
    for (const [input, { bytesInOutput }] of Object.entries(byPath.get(p)?.inputs ?? {}))
      byPackage.set(packageOf(input), (byPackage.get(packageOf(input)) ?? 0) + bytesInOutput);

  const chunks = [...byPath.entries()]
    .filter(([p]) => p.endsWith('.mjs'))
    .map(([p, o]) => ({ file: relative(outdir, p), bytes: o.bytes }))
    .sort((a, b) => b.bytes - a.bytes);
  return {
    outdir,
    entryFile,
    entryBytes: entry.bytes,
    staticBytes: bytesOf(loadedAtImport),
    reachableBytes: bytesOf(closure(true)),
    chunks,
    staticByPackage: [...byPackage]
      .map(([name, bytes]) => ({ name, bytes }))
      .sort((a, b) => b.bytes - a.bytes),
  };
}

async function copyMigrations(outdir: string) {
  const src = join(ROOT, 'migrations');
  const dest = join(outdir, 'migrations');
  await mkdir(dest, { recursive: true });
  for (const f of await readdir(src)) if (f.endsWith('.sql')) await copyFile(join(src, f), join(dest, f));
}

/**
 * The bundle manifest install requests are checked against, where the API looks first: relative to
 * the working directory, which on Lambda is the task root (this folder). Absent in a checkout
 * without bundles: the platform then offers none.
 */
async function copyBundleManifest(outdir: string) {
  const src = join(ROOT, 'script', 'manifests', 'index.yaml');
  if (!existsSync(src)) return;
  const dest = join(outdir, 'script', 'manifests');
  await mkdir(dest, { recursive: true });
  await copyFile(src, join(dest, 'index.yaml'));
}

/** Builds the API Lambda into `outdir` (emptied first) and returns its sizes; throws over budget. */
export async function build(opts: { outdir?: string } = {}): Promise<BundleReport> {
  const outdir = resolve(opts.outdir ?? join(ROOT, 'dist', 'lambda'));
  await rm(outdir, { recursive: true, force: true });
  // One build for every Lambda entry: they share chunks, and the CDK app points at this folder.
  const entries = Object.fromEntries(
    ['api', 'claim', 'sweep', 'migrate'].map((name) => [name, join(ROOT, `functions/lambda/${name}.ts`)]),
  );
  const result = await esbuild(bundleOptions(entries, outdir));
  await copyMigrations(outdir);
  await copyBundleManifest(outdir);
  const report = measure(result.metafile!, outdir);
  if (report.staticBytes > ENTRY_BUDGET_BYTES)
    throw new Error(
      `the handler loads ${kib(report.staticBytes)} at import, over the ${kib(ENTRY_BUDGET_BYTES)} budget`,
    );
  return report;
}

export const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

export function formatReport(r: BundleReport): string {
  const lines = [
    `built ${relative(process.cwd(), r.entryFile) || r.entryFile}`,
    `  entry file              ${kib(r.entryBytes)}`,
    `  loaded at import        ${kib(r.staticBytes)} (budget ${kib(ENTRY_BUDGET_BYTES)})`,
    `  reachable incl. lazy    ${kib(r.reachableBytes)}`,
    '  loaded at import, by package:',
    ...r.staticByPackage.slice(0, 8).map((p) => `    ${kib(p.bytes).padStart(10)}  ${p.name}`),
    '  largest files:',
    ...r.chunks.slice(0, 5).map((c) => `    ${kib(c.bytes).padStart(10)}  ${c.file}`),
  ];
  return `${lines.join('\n')}\n`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  build()
    .then((r) => process.stdout.write(formatReport(r)))
    .catch((e: Error) => {
      console.error(`build failed: ${e.message}`);
      process.exit(1);
    });
}
