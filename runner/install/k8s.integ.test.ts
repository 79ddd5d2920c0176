import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadManifest, SCRIPT_DIR } from '../../script-tools/bundle';
import { findBundle } from '../../shared/install/manifest';
import type { InstallWork } from '../../shared/install/work';
import { builtBundle } from '../../test/support/built-bundle';
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
  /** script/ with the VIP's keepalived and ipvsadm built; null where apt cannot download them. */
  let built: string | null = null;
  let bundleDir = SCRIPT_DIR;

  beforeAll(async () => {
    t = await startHosts([65]);
    built = await builtBundle('k8s', '1.30.2-synth');
    bundleDir = built ?? SCRIPT_DIR;
    const bundle = findBundle(await loadManifest(bundleDir), 'k8s', '1.30.2-synth')!;
    work = {
      kind: 'environment_install',
      install: {
        task_id: 't2',
        environment_id: 'e2',
        action: 'install',
        runtime: 'k8s',
        version: bundle.version,
        host_ids: [t.hosts[0]!.access.id],
        options: { prefix: t.prefix, parallelism: 5, lvs_vip: null, roles: null },
      },
      bundle,
      hosts: t.hosts.map((h) => h.access),
    };
  }, 600_000);
  afterAll(() => t?.stop());

  it('brings up a node Ready, returns the admin kubeconfig in the result only, and uninstalls', async () => {
    const h = t.hosts[0]!;
    const before = listing(h.dir);
    const r = recorder();
    const done = await runInstall(work, r.ctx, connect, { bundleDir });
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
        bundleDir,
      },
    );
    expect(un.status, JSON.stringify(un.diagnostics)).toBe('succeeded');
    expect(pidAlive(kubelet)).toBe(false);
    expect(listing(h.dir)).toEqual(before);
  });

  it('reports the admin certificate expiry, renews it with kubeadm certs renew and returns the new kubeconfig', async () => {
    const h = t.hosts[0]!;
    const before = listing(h.dir);
    const done = await runInstall(work, recorder().ctx, connect, { bundleDir });
    expect(done.status, JSON.stringify(done.diagnostics)).toBe('succeeded');
    const first = done.result as { admin_kubeconfig: string; cert_expires_at: string };
    registerSecret(first.admin_kubeconfig);
    const oldToken = /token: (\S+)/.exec(first.admin_kubeconfig)![1]!;
    registerSecret(oldToken);
    const inAYear = Date.now() + 365 * 86_400_000;
    expect(Math.abs(Date.parse(first.cert_expires_at) - inAYear)).toBeLessThan(86_400_000);

    const r = recorder();
    const renewed = await runInstall(
      { ...work, install: { ...work.install, task_id: 't2-certs', action: 'cert_renew' } },
      r.ctx,
      connect,
      { bundleDir },
    );
    expect(renewed.status, JSON.stringify(renewed.diagnostics)).toBe('succeeded');
    const id = h.access.id;
    expect(finalStatus(r.steps)).toEqual({
      [`certs.preflight.${id}`]: 'succeeded',
      [`certs.renew.${id}`]: 'succeeded',
    });
    const next = renewed.result as { admin_kubeconfig: string; cert_expires_at: string };
    registerSecret(next.admin_kubeconfig);
    const newToken = /token: (\S+)/.exec(next.admin_kubeconfig)![1]!;
    registerSecret(newToken);
    expect(newToken).not.toBe(oldToken);
    expect(Date.parse(next.cert_expires_at)).toBeGreaterThanOrEqual(Date.parse(first.cert_expires_at));
    // The stand-in recorded the renewal of the credentials the install had made.
    const renewals = readFileSync(join(h.dir, 'etc/kubernetes/standin-renewals'), 'utf8').trim().split('\n');
    expect(renewals).toHaveLength(1);
    const oldSha = (await sh('sh', ['-c', 'printf %s "$1" | sha256sum', 'sh', oldToken])).stdout.split(
      ' ',
    )[0];
    expect(renewals[0]!.split(' ')[1]).toBe(oldSha);
    const reported = JSON.stringify([r.steps, renewed.diagnostics]);
    expect(reported).not.toContain(oldToken);
    expect(reported).not.toContain(newToken);
    expect(reported).toContain('renewed');

    const un = await runInstall(
      { ...work, install: { ...work.install, action: 'uninstall' } },
      recorder().ctx,
      connect,
      { bundleDir },
    );
    expect(un.status, JSON.stringify(un.diagnostics)).toBe('succeeded');
    expect(listing(h.dir)).toEqual(before);
  });

  it.skipIf(existsSync('/proc/net/ip_vs'))(
    'with lvs_vip, the cluster comes up and the separate VIP task renders keepalived.conf, then ends in PREFLIGHT_IPVS',
    async ({ skip }) => {
      if (!built) return skip('the VIP tools could not be built here');
      const h = t.hosts[0]!;
      const before = listing(h.dir);
      const options = { ...work.install.options, lvs_vip: '198.51.100.200/32' };
      const withVip = { ...work, install: { ...work.install, options } };
      const r = recorder();
      const done = await runInstall(withVip, r.ctx, connect, { bundleDir });
      expect(done.status, JSON.stringify(done.diagnostics)).toBe('succeeded');
      registerSecret((done.result as { admin_kubeconfig: string }).admin_kubeconfig);
      // The install itself runs nothing of the VIP: that is the follow-up task's.
      expect(r.steps.some((s) => s.name.includes('vip'))).toBe(false);

      // The VIP is on the hosts' network: the namespace routes it toward its peer, as a LAN would.
      await sh('ip', ['-n', h.ns!.name, 'route', 'replace', '198.51.100.200/32', 'via', '198.51.100.1']);
      const v = recorder();
      const vipTask = {
        ...withVip,
        install: { ...withVip.install, task_id: 't2-vip', action: 'vip' as const },
      };
      const ended = await runInstall(vipTask, v.ctx, connect, {
        bundleDir,
        vipRetry: { attempts: 3, backoffMs: 10 },
      });
      expect(ended.status).toBe('failed');
      expect(
        ended.error_code,
        JSON.stringify([ended.diagnostics, v.steps.filter((s) => s.status === 'failed')]),
      ).toBe('PREFLIGHT_IPVS');
      const id = h.access.id;
      expect(finalStatus(v.steps)).toEqual({
        [`vip.preflight.${id}`]: 'succeeded',
        [`vip.render.${id}`]: 'succeeded',
        [`vip.vip.${id}`]: 'failed',
      });
      const render = v.steps.find((s) => s.name === `vip.render.${id}` && s.status === 'succeeded')!;
      expect(render.detail).toMatchObject({ vip: '198.51.100.200/32', real_servers: [h.access.address] });
      const conf = render.output ?? '';
      expect(conf).toContain('virtual_server 198.51.100.200 6443');
      expect(conf).toContain(`real_server ${h.access.address} 6443`);
      expect(conf).toMatch(/retry 3/);
      expect(conf).toMatch(/198\.51\.100\.200\/32 dev \S+/);
      expect(conf).toMatch(/check-apiserver\.sh 198\.51\.100\.200\/32 6443/);
      // Checked on the host by the keepalived the install put there from the bundle.
      expect(conf).toMatch(
        /keepalived --config-test passed: \S+\/usr\/local\/lib\/k8s-manage\/k8s-1\.30\.2-synth\/vip\/sbin\/keepalived, Keepalived v2\.2\./,
      );
      // The failed task left nothing of keepalived behind but what the install shipped.
      const shipped = (p: string) =>
        p.endsWith('keepalived.conf.in') || p.includes('/vip/sbin/') || p.includes('/bin/linux-amd64/real/');
      expect(listing(h.dir).filter((p) => p.includes('keepalived') && !shipped(p))).toEqual([]);

      const un = await runInstall(
        { ...work, install: { ...work.install, action: 'uninstall' } },
        recorder().ctx,
        connect,
        { bundleDir },
      );
      expect(un.status, JSON.stringify(un.diagnostics)).toBe('succeeded');
      expect(listing(h.dir)).toEqual(before);
    },
  );
});

describe.skipIf(!available)(
  'install: a k8s cluster of one control plane and two workers that join it',
  () => {
    let t: TestHosts;
    let work: InstallWork;

    beforeAll(async () => {
      t = await startHosts([141, 142, 143]);
      const bundle = findBundle(await loadManifest(), 'k8s', '1.30.2-synth')!;
      const [cp, w1, w2] = t.hosts.map((h) => h.access.id);
      work = {
        kind: 'environment_install',
        install: {
          task_id: 't3',
          environment_id: 'e3',
          action: 'install',
          runtime: 'k8s',
          version: bundle.version,
          // The control plane is not the first host named: roles decide, not the order.
          host_ids: [w1!, cp!, w2!],
          options: {
            prefix: t.prefix,
            parallelism: 5,
            lvs_vip: null,
            roles: { [cp!]: 'control-plane', [w1!]: 'worker', [w2!]: 'worker' },
          },
        },
        bundle,
        hosts: t.hosts.map((h) => h.access),
      };
    }, 120_000);
    afterAll(() => t?.stop());

    const joined = (dir: string) =>
      Object.fromEntries(
        readFileSync(join(dir, 'etc/kubernetes/k8s-manage-standin-join'), 'utf8')
          .trim()
          .split('\n')
          .map((l) => l.split('=') as [string, string]),
      );

    it('inits the control plane, joins both workers with its token and CA hash, and never reports the token', async () => {
      const [cp, w1, w2] = t.hosts;
      const before = t.hosts.map((h) => listing(h.dir));
      const r = recorder();
      const done = await runInstall(work, r.ctx, connect, { bundleDir: SCRIPT_DIR });
      expect(done.status, JSON.stringify(done.diagnostics)).toBe('succeeded');
      const status = finalStatus(r.steps);
      const id = (h: typeof cp) => h!.access.id.toLowerCase();
      expect(status[`install.join_token.${id(cp)}`]).toBe('succeeded');
      expect(status[`install.join.${id(w1)}`]).toBe('succeeded');
      expect(status[`install.join.${id(w2)}`]).toBe('succeeded');
      expect(status[`install.join.${id(cp)}`]).toBeUndefined();
      // The token was made after the control plane was up, and before any worker joined.
      const order = r.steps.map((s) => s.name);
      expect(order.indexOf(`install.join_token.${id(cp)}`)).toBeGreaterThan(
        order.lastIndexOf(`install.fingerprint.${id(cp)}`),
      );
      expect(order.indexOf(`install.preflight.${id(w1)}`)).toBeGreaterThan(
        order.indexOf(`install.join_token.${id(cp)}`),
      );

      // Only the control plane ran kubeadm init; the token each worker used is the one it created.
      expect(existsSync(join(cp!.dir, 'etc/kubernetes/admin.conf'))).toBe(true);
      const tokens = readFileSync(join(cp!.dir, 'etc/kubernetes/standin-tokens'), 'utf8').trim().split('\n');
      expect(tokens).toHaveLength(1);
      const token = tokens[0]!;
      registerSecret(token);
      const caHash = (
        await sh('sh', [
          '-c',
          'openssl x509 -pubkey -noout -in "$1" | openssl pkey -pubin -outform der | sha256sum',
          'sh',
          join(cp!.dir, 'etc/kubernetes/pki/ca.crt'),
        ])
      ).stdout.split(' ')[0];
      const tokenSha = (await sh('sh', ['-c', 'printf %s "$1" | sha256sum', 'sh', token])).stdout.split(
        ' ',
      )[0];
      for (const w of [w1!, w2!]) {
        expect(existsSync(join(w.dir, 'etc/kubernetes/admin.conf'))).toBe(false);
        expect(joined(w.dir)).toEqual({
          endpoint: `${cp!.access.address}:6443`,
          ca_hash: `sha256:${caHash}`,
          token_sha256: tokenSha,
          role: 'worker',
        });
        // The join configuration does not stay on the host.
        expect(listing(w.dir).filter((p) => p.endsWith('join.yaml'))).toEqual([]);
      }
      const reported = JSON.stringify([r.steps, done.diagnostics, done.result]);
      expect(reported).not.toContain(token);
      expect(reported).not.toContain(token.split('.')[1]);
      expect(reported).not.toContain(caHash);
      expect(reported).toContain(`joined the cluster (worker)`);

      const un = await runInstall(
        { ...work, install: { ...work.install, action: 'uninstall' } },
        recorder().ctx,
        connect,
        { bundleDir: SCRIPT_DIR },
      );
      expect(un.status, JSON.stringify(un.diagnostics)).toBe('succeeded');
      expect(t.hosts.map((h) => listing(h.dir))).toEqual(before);
    });

    it('leaves the workers untouched when the control plane fails', async () => {
      const [cp, w1] = t.hosts;
      const before = listing(w1!.dir);
      const bad = { ...work, hosts: work.hosts.map((h) => (h.id === cp!.access.id ? { ...h, port: 1 } : h)) };
      const r = recorder();
      const done = await runInstall(bad, r.ctx, connect, { bundleDir: SCRIPT_DIR });
      expect(done.status).toBe('failed');
      expect(done.error_code).toBe('SSH_CONNECT');
      const hosts = (done.result as { hosts: { host_id: string; status: string }[] }).hosts;
      expect(
        hosts
          .filter((h) => h.status === 'skipped')
          .map((h) => h.host_id)
          .sort(),
      ).toEqual([w1!.access.id, t.hosts[2]!.access.id].sort());
      expect(listing(w1!.dir)).toEqual(before);
    });
  },
);
