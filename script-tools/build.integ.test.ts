import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build as esbuild } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { bundleOptions, CJS_BANNER, measure } from './build';

const run = promisify(execFile);
const work = mkdtempSync(join(tmpdir(), 'k8sm-build-test-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Bundles `source` with the API's options, resolving bare imports from the repository. */
async function bundle(name: string, source: string) {
  const outdir = join(work, name);
  const { entryPoints: _, ...options } = bundleOptions('', outdir);
  const result = await esbuild({
    ...options,
    stdin: { contents: source, resolveDir: import.meta.dirname, loader: 'ts', sourcefile: `${name}.ts` },
    logLevel: 'silent',
  });
  return measure(result.metafile!, outdir, 'stdin.mjs');
}

const node = async (file: string) => (await run(process.execPath, [file], { env: { PATH: '' } })).stdout;

describe('bundleOptions', () => {
  it('keeps zod English-only and its messages intact', async () => {
    const report = await bundle(
      'zod',
      `import { z } from 'zod';
       const r = z.object({ n: z.number() }).safeParse({ n: 'x' });
       export const message = r.success ? '' : r.error.issues[0].message;
       console.log(JSON.stringify({ message, locales: Object.keys(z.locales) }));`,
    );
    const out = JSON.parse(await node(report.entryFile));
    expect(out.locales).toEqual(['en']);
    expect(out.message).toMatch(/expected number/i);
    // The full locale set is ≈ 250 KiB; what is left of zod is well under that.
    expect(report.staticBytes).toBeLessThan(250 * 1024);
  });

  it('lets bundled CommonJS call require for built-ins', async () => {
    const report = await bundle(
      'cjs',
      `import { newModelFromString } from 'casbin';
       const m = newModelFromString('[request_definition]\\nr = sub\\n[policy_definition]\\np = sub\\n[policy_effect]\\ne = some(where (p.eft == allow))\\n[matchers]\\nm = r.sub == p.sub');
       console.log(typeof m.addPolicy);`,
    );
    expect(readFileSync(report.entryFile, 'utf8').startsWith(CJS_BANNER)).toBe(true);
    expect((await node(report.entryFile)).trim()).toBe('function');
  });

  it('keeps the named exports of a lazily imported AWS SDK client', async () => {
    const report = await bundle(
      'sdk',
      `const { SecretsManagerClient, GetSecretValueCommand } = await import('@aws-sdk/client-secrets-manager');
       console.log(typeof SecretsManagerClient, typeof GetSecretValueCommand);`,
    );
    expect((await node(report.entryFile)).trim()).toBe('function function');
    expect(report.staticBytes).toBeLessThan(4 * 1024);
  });

  it('bundles ssh2 without its optional native addons', async () => {
    const report = await bundle(
      'ssh2',
      `import { generateKeyPairSync } from 'node:crypto';
       import ssh2 from 'ssh2';
       const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs1', format: 'pem' }, publicKeyEncoding: { type: 'pkcs1', format: 'pem' } });
       const parsed = ssh2.utils.parseKey(privateKey);
       console.log(parsed instanceof Error ? parsed.message : parsed.type);`,
    );
    expect((await node(report.entryFile)).trim()).toBe('ssh-rsa');
  });

  it('puts a dynamic import in its own chunk, outside what loads at import', async () => {
    const report = await bundle(
      'lazy',
      `export async function later() { return (await import('postgres')).default; }
       console.log('ok');`,
    );
    expect(report.chunks.length).toBeGreaterThan(1);
    expect(report.staticBytes).toBeLessThan(4 * 1024);
    expect(report.reachableBytes).toBeGreaterThan(20 * 1024);
  });
});
