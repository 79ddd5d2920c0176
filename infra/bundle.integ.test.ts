import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { build } from '../script-tools/build';
import { cleanUp, functionWithHandler, synth, tempDir } from './testing/synth';

/** The one test on the real bundle: what `npm run build` makes is what the functions get. */
let bundleDir: string;
beforeAll(async () => {
  bundleDir = tempDir('build');
  await build({ outdir: bundleDir });
});
afterAll(cleanUp);

it('ships the build (entries, chunks, migrations) as the function code, without source maps', () => {
  const { app, template } = synth({ bundleDir });
  const [, api] = functionWithHandler(template, 'api.handler');
  const assetDirs = readdirSync(app.outdir).filter((d) => d.startsWith('asset.'));
  const staged = assetDirs.map((d) => join(app.outdir, d)).find((d) => existsSync(join(d, 'api.mjs')));
  expect(staged, 'no staged asset holds api.mjs').toBeDefined();
  expect(JSON.stringify(api.Properties?.Code.S3Key)).toContain(staged!.split('asset.')[1]);

  const files = readdirSync(staged!, { recursive: true }).map(String);
  expect(files.some((f) => f.startsWith('chunks/') && f.endsWith('.mjs'))).toBe(true);
  expect(files.some((f) => /^migrations\/\d{4}_.+\.up\.sql$/.test(f))).toBe(true);
  expect(files).toEqual(expect.arrayContaining(['api.mjs', 'claim.mjs', 'sweep.mjs', 'migrate.mjs']));
  expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
});
