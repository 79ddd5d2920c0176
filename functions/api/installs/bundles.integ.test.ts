import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { VIP_SCRIPT } from '../../../shared/install/manifest';
import { backends } from '../../../test/support/databases';
import { TEST_MANIFEST } from '../../../test/support/installs';
import { createTestPlatform, PASSWORD, type TestPlatform } from '../../../test/support/platform';

const k8sWithVip = {
  ...TEST_MANIFEST.bundles[2]!,
  version: '1.30.10-test',
  ports: [6443],
  files: [
    ...TEST_MANIFEST.bundles[2]!.files,
    { path: VIP_SCRIPT, sha256: 'b'.repeat(64), install_to: 'usr/local/lib/vip.sh' },
  ],
};

describe.each(await backends())('GET /install/bundles on %s', (backend) => {
  let p: TestPlatform;
  let dir: string;
  let admin: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'k8sm-bundles-'));
    writeFileSync(
      join(dir, 'index.yaml'),
      stringify({ ...TEST_MANIFEST, bundles: [...TEST_MANIFEST.bundles, k8sWithVip] }),
    );
    p = await createTestPlatform(backend, { K8SM_BUNDLE_MANIFEST: join(dir, 'index.yaml') });
    admin = await p.adminToken();
  }, 120_000);
  afterAll(async () => {
    await p.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists the manifest per runtime, newest version first, without files or checksums', async () => {
    const project = await p.request('POST', '/projects', { token: admin, body: { name: 'b' } });
    const viewer = await p.userWithRole('viewer', project.json.id);
    const res = await p.request('GET', '/install/bundles', { token: viewer.token });
    expect(res.status, res.text).toBe(200);
    expect(res.json.runtimes).toEqual(['compose', 'k8s']);
    expect(
      res.json.items.map((b: { runtime: string; version: string }) => `${b.runtime} ${b.version}`),
    ).toEqual(['compose 25.0.1-test', 'compose 24.0.5-test', 'k8s 1.30.10-test', 'k8s 1.29.0-test']);
    expect(res.json.items[2]).toEqual({
      runtime: 'k8s',
      version: '1.30.10-test',
      synthetic: true,
      description: '',
      platforms: [{ os: 'linux', arch: 'amd64', distributions: ['debian-12'] }],
      ports: [6443],
      min_disk_mb: 512,
      lvs_vip: true,
    });
    // Only a k8s entry shipping the VIP hook offers the VIP.
    expect(res.json.items.map((b: { lvs_vip: boolean }) => b.lvs_vip)).toEqual([false, false, true, false]);
    expect(res.text).not.toContain('sha256');
    expect(res.text).not.toContain('install_to');
  });

  it('needs environment:read somewhere', async () => {
    const made = await p.request('POST', '/users', {
      token: admin,
      body: { username: 'nobody', password: PASSWORD },
    });
    expect(made.status, made.text).toBe(201);
    const res = await p.request('GET', '/install/bundles', { token: await p.login('nobody', PASSWORD) });
    expect(res.status).toBe(403);
    expect(res.json.error.message).toContain('environment:read');
    expect((await p.request('GET', '/install/bundles')).status).toBe(401);
  });
});
