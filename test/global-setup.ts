import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { buildWeb, webBuildIsStale } from '../functions/node/web';

/**
 * Every suite that starts `npm start` would otherwise find the SPA's build stale on a fresh clone
 * and build it itself, several at once and each inside its start-up timeout: build it once here.
 * Bundles built from Debian's packages (test/support/built-bundle.ts) are shared by the run's test
 * files in one directory, removed when the run ends.
 */
export default async function setup(project: TestProject) {
  if (webBuildIsStale()) await buildWeb({ logLevel: 'silent' });
  const built = mkdtempSync(join(tmpdir(), 'k8sm-built-bundles-'));
  project.provide('builtBundles', built);
  return () => rmSync(built, { recursive: true, force: true });
}
