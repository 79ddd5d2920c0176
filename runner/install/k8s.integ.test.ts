import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadManifest, SCRIPT_DIR } from '../../script-tools/bundle';
import { findBundle } from '../../shared/install/manifest';
import type { InstallWork } from '../../shared/install/work';
import {
  finalStatus,
  installPeersAvailable,
  listing,
  pidAlive,
  recorder,
  sh,
  startHosts,
  type TestHosts,
} from '../../test/support/install-hosts';
import { registerSecret } from '../../test/support/leak-guard';
import { connectHost } from '../ssh/executor';
import { runInstall } from './installer';
import type { InstallConnect } from './types';

const available = installPeersAvailable();
const connect: InstallConnect = (h) => connectHost(h);

describe.skipIf(!available)('install: synthetic k8s bundle over SSH (stand-ins with the real CLIs)', () => {
  let t: TestHosts;
  let work: InstallWork;

  beforeAll(async () => {
    t = await startHosts([65]);
    const bundle = findBundle(await loadManifest(), 'k8s', '1.30.2-synth')!;
    work = {
      kind: 'environment_install',
      install: {
        task_id: 't2',
        environment_id: 'e2',
        action: 'install',
        runtime: 'k8s',
        version: bundle.version,
        host_ids: [t.hosts[0]!.access.id],
        options: { prefix: t.prefix, parallelism: 5, lvs_vip: null },
      },
      bundle,
      hosts: t.hosts.map((h) => h.access),
    };
  }, 120_000);
  afterAll(() => t?.stop());

  it('brings up a node Ready, returns the admin kubeconfig in the result only, and uninstalls', async () => {
    const h = t.hosts[0]!;
    const before = listing(h.dir);
    const r = recorder();
    const done = await runInstall(work, r.ctx, connect, { bundleDir: SCRIPT_DIR });
    expect(done.status, JSON.stringify(done.diagnostics)).toBe('succeeded');
    expect(Object.values(finalStatus(r.steps)).every((s) => s === 'succeeded')).toBe(true);

    const kubeconfig = (done.result as { admin_kubeconfig?: string }).admin_kubeconfig ?? '';
    const token = /token: (\S+)/.exec(kubeconfig)?.[1] ?? '';
    registerSecret(kubeconfig);
    registerSecret(token);
    expect(kubeconfig).toContain('server: https://127.0.0.1:6443');
    expect(kubeconfig).toMatch(/certificate-authority-data: \S{100,}/);
    expect(token.length).toBeGreaterThanOrEqual(32);
    const reported = JSON.stringify([r.steps, done.diagnostics]);
    expect(reported).not.toContain(token);
    expect(reported).not.toContain('certificate-authority-data');
    expect((done.result as { hosts: { endpoint: string }[] }).hosts[0]!.endpoint).toBe(
      'https://127.0.0.1:6443',
    );

    // The CA really was made on the host, with openssl.
    const ca = await sh('openssl', [
      'x509',
      '-noout',
      '-subject',
      '-in',
      join(h.dir, 'etc/kubernetes/pki/ca.crt'),
    ]);
    expect(ca.stdout).toContain('CN = kubernetes');
    const kubelet = Number(readFileSync(join(h.dir, 'run/k8s-manage/kubelet.pid'), 'utf8'));
    expect(pidAlive(kubelet)).toBe(true);
    expect(existsSync(join(h.dir, 'opt/cni/bin/bridge'))).toBe(true);
    expect(readFileSync(join(h.dir, 'etc/k8s-manage/kubeadm.yaml'), 'utf8')).toContain(
      `${t.prefix}/etc/kubernetes/pki`,
    );

    const un = await runInstall(
      { ...work, install: { ...work.install, action: 'uninstall' } },
      recorder().ctx,
      connect,
      {
        bundleDir: SCRIPT_DIR,
      },
    );
    expect(un.status, JSON.stringify(un.diagnostics)).toBe('succeeded');
    expect(pidAlive(kubelet)).toBe(false);
    expect(listing(h.dir)).toEqual(before);
  });

  it.skipIf(existsSync('/proc/net/ip_vs'))(
    'fails preflight with PREFLIGHT_IPVS when a VIP is asked of a kernel without IPVS',
    async () => {
      const h = t.hosts[0]!;
      const before = listing(h.dir);
      const options = { ...work.install.options, lvs_vip: '198.51.100.200/32' };
      const done = await runInstall(
        { ...work, install: { ...work.install, options } },
        recorder().ctx,
        connect,
        {
          bundleDir: SCRIPT_DIR,
        },
      );
      expect(done.error_code).toBe('PREFLIGHT_IPVS');
      expect(listing(h.dir)).toEqual(before);
    },
  );
});
