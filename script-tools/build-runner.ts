import { chmod, rm } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build as esbuild } from 'esbuild';
import { type BundleReport, CJS_BANNER, kib, measure, zodEnglishOnly } from './build';

const ROOT = resolve(import.meta.dirname, '..');
export const RUNNER_FILE = 'k8s-manage-runner.mjs';

/**
 * The runner ships as one file so installing it on a host in a private network is a copy and a
 * `node` binary: no npm, no registry access, no node_modules to keep in step with the platform.
 *
 * Why no splitting: the adapters are reached through `import('./dispatch')`; with splitting off,
 * esbuild keeps that import lazy inside the same file (the SSH and Kubernetes code is still only
 * evaluated when a job first needs it), instead of emitting chunks that would have to travel along.
 *
 * Why `*.node` and `cpu-features` are external: ssh2 tries its optional native addons inside
 * try/catch and falls back to Node's crypto. A binary built here would not match the host's CPU or
 * Node ABI anyway; left out, the `require` fails on the host and ssh2 takes its pure-JS path.
 *
 * Why `keepNames`: minified class and function names would turn any stack trace or error `name` a
 * host operator reports into noise; the names cost a few KiB in a file that is parsed once per start.
 */
export async function buildRunner(outdir = join(ROOT, 'dist', 'runner')): Promise<BundleReport> {
  const dir = resolve(outdir);
  await rm(dir, { recursive: true, force: true });
  const result = await esbuild({
    entryPoints: [join(ROOT, 'runner/cli.ts')],
    outfile: join(dir, RUNNER_FILE),
    bundle: true,
    splitting: false,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    minify: true,
    keepNames: true,
    treeShaking: true,
    sourcemap: 'external',
    mainFields: ['module', 'main'],
    banner: { js: `#!/usr/bin/env node\n${CJS_BANNER}` },
    external: ['*.node', 'cpu-features'],
    plugins: [zodEnglishOnly],
    metafile: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
  await chmod(join(dir, RUNNER_FILE), 0o755);
  return measure(result.metafile!, dir, RUNNER_FILE);
}

export function formatRunnerReport(r: BundleReport): string {
  const lines = [
    `built ${relative(process.cwd(), r.entryFile) || r.entryFile}  ${kib(r.entryBytes)}`,
    '  by package:',
    ...r.staticByPackage.slice(0, 8).map((p) => `    ${kib(p.bytes).padStart(10)}  ${p.name}`),
  ];
  return `${lines.join('\n')}\n`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  buildRunner()
    .then((r) => process.stdout.write(formatRunnerReport(r)))
    .catch((e: Error) => {
      console.error(`build failed: ${e.message}`);
      process.exit(1);
    });
}
