import { createHash } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadManifest, SCRIPT_DIR } from '../../script-tools/bundle';
import { findBundle } from '../../shared/install/manifest';
import type { InstallHostResult, InstallWork } from '../../shared/install/work';
import type { InstallVerifyWork, VerifyHostResult } from '../../shared/jobs/install-verify';
import {
  finalStatus,
  installPeersAvailable,
  listing,
  recorder,
  startHosts,
  type TestHosts,
} from '../../test/support/install-hosts';
import { connectHost } from '../ssh/executor';
import { runInstall } from './installer';
import type { InstallConnect } from './types';
import { runVerify } from './verify';

const available = installPeersAvailable();
const connect: InstallConnect = (h) => connectHost(h);
const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/**
 * The runner's half of drift on two SSH hosts (each its own network namespace and prefix): the
 * fingerprint an install reports, and what a verify reads back after files were edited or deleted.
 */
describe.skipIf(!available)('install drift: fingerprints and verify over SSH', () => {
  let t: TestHosts;
  let work: InstallWork;
  let installed: InstallHostResult[];

  beforeAll(async () => {
    t = await startHosts([76, 77]);
    const bundle = findBundle(await loadManifest(), 'compose', '24.0.7-synth')!;
    work = {
      kind: 'environment_install',
      install: {
        task_id: 't1',
        environment_id: 'e1',
        action: 'install',
        runtime: 'compose',
        version: bundle.version,
        host_ids: t.hosts.map((h) => h.access.id),
        options: { prefix: t.prefix, parallelism: 5, lvs_vip: null, roles: null },
      },
      bundle,
      hosts: t.hosts.map((h) => h.access),
    };
    const done = await runInstall(work, recorder().ctx, connect, { bundleDir: SCRIPT_DIR });
    expect(done.status, JSON.stringify(done.diagnostics)).toBe('succeeded');
    installed = (done.result as { hosts: InstallHostResult[] }).hosts;
  }, 180_000);
  afterAll(() => t?.stop());

  const verifyWork = (extra: InstallVerifyWork['verify']['hosts'] = []): InstallVerifyWork => ({
    kind: 'install_verify',
    verify: {
      environment_id: 'e1',
      hosts: [
        ...installed.map((h) => ({ host_id: h.host_id, prefix: t.prefix, fingerprint: h.fingerprint! })),
        ...extra,
      ],
    },
    hosts: t.hosts.map((h) => h.access),
  });
  const readings = (r: { result?: Record<string, unknown> }) =>
    Object.fromEntries((r.result!.hosts as VerifyHostResult[]).map((h) => [h.host_id, h]));

  it('reports each host fingerprint: copied files as the manifest has them, templates as rendered there', () => {
    for (const [i, h] of installed.entries()) {
      const fp = h.fingerprint!;
      expect(fp).toMatchObject({ runtime: 'compose', version: '24.0.7-synth' });
      expect(Object.keys(fp.files).sort()).toEqual(work.bundle.files.map((f) => f.install_to).sort());
      const dockerd = work.bundle.files.find((f) => f.install_to === 'usr/local/bin/dockerd')!;
      expect(fp.files['usr/local/bin/dockerd']).toBe(dockerd.sha256);
      const template = work.bundle.files.find((f) => f.install_to === 'etc/docker/daemon.json')!;
      const rendered = sha256(join(t.hosts[i]!.dir, 'etc/docker/daemon.json'));
      expect(rendered).not.toBe(template.sha256);
      expect(fp.files['etc/docker/daemon.json']).toBe(rendered);
    }
  });

  it('reads every file back unchanged, and changes nothing on the hosts', async () => {
    const before = t.hosts.map((h) => listing(h.dir));
    const r = recorder();
    const done = await runVerify(verifyWork(), r.ctx, connect);
    expect(done.status, JSON.stringify(done.diagnostics)).toBe('succeeded');
    const read = readings(done);
    for (const h of installed) expect(read[h.host_id]!.actual).toEqual(h.fingerprint!.files);
    expect(Object.values(finalStatus(r.steps))).toEqual(['succeeded', 'succeeded']);
    expect(t.hosts.map((h) => listing(h.dir))).toEqual(before);
  });

  it('reads an edited file on one host as its new sha256, a deleted one on the other as null', async () => {
    const [a, b] = t.hosts as [TestHosts['hosts'][0], TestHosts['hosts'][0]];
    writeFileSync(join(a.dir, 'etc/docker/daemon.json'), '{"debug": true}\n');
    rmSync(join(b.dir, 'usr/local/bin/docker'));
    const r = recorder();
    const done = await runVerify(verifyWork(), r.ctx, connect);
    expect(done.status).toBe('succeeded');
    const read = readings(done);
    const fpA = installed[0]!.fingerprint!.files;
    expect(read[a.access.id]!.actual).toEqual({
      ...fpA,
      'etc/docker/daemon.json': sha256(join(a.dir, 'etc/docker/daemon.json')),
    });
    expect(read[b.access.id]!.actual['usr/local/bin/docker']).toBeNull();
    const step = (id: string) =>
      r.steps.find((s) => s.name === `drift.read.${id}` && s.status === 'succeeded')!;
    expect(step(a.access.id).detail).toEqual({ changed: ['etc/docker/daemon.json'], missing: [] });
    expect(step(b.access.id).detail).toEqual({ changed: [], missing: ['usr/local/bin/docker'] });
    expect(step(b.access.id).output).toMatch(/1 missing/);
  });

  it('fails the job with the unreachable host code, still reporting the hosts it read', async () => {
    const ghost = { ...t.hosts[0]!.access, id: 'host-gone', port: 1 };
    const w = verifyWork([
      { host_id: 'host-gone', prefix: t.prefix, fingerprint: installed[0]!.fingerprint! },
    ]);
    w.hosts.push(ghost);
    const done = await runVerify(w, recorder().ctx, connect);
    expect(done.status).toBe('failed');
    expect(done.error_code).toBe('SSH_CONNECT');
    const read = readings(done);
    expect(read['host-gone']).toMatchObject({ status: 'failed', error_code: 'SSH_CONNECT', actual: {} });
    expect(read[t.hosts[0]!.access.id]!.status).toBe('succeeded');
  });
});
