/**
 * An install on a host reached only through a jump host: the target's sshd listens on the loopback
 * of the jump host's network namespace, so every install step runs over the jump host's forwarded
 * channel (the work order carries the host with its `jump`, and the installer connects with
 * `connectHost` like every other job). The jump host's credential is masked like the target's.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadManifest, SCRIPT_DIR } from '../../script-tools/bundle';
import { findBundle } from '../../shared/install/manifest';
import { INSTALL_STEPS } from '../../shared/install/work';
import type { HostAccess } from '../../shared/jobs/claim';
import { hostAccessFor } from '../../test/peers/host-access';
import { type SshPeer, startSshd } from '../../test/peers/sshd';
import {
  finalStatus,
  installPeersAvailable,
  recorder,
  startHosts,
  type TestHosts,
} from '../../test/support/install-hosts';
import { connectHost } from '../ssh/executor';
import { runInstall, secretsOf } from './installer';

// Index 167 is this file's; other files pick their own.
const INDEX = 167;

describe.skipIf(!installPeersAvailable())('install through a jump host', { timeout: 120_000 }, () => {
  let t: TestHosts;
  let inner: SshPeer;
  let target: HostAccess;

  beforeAll(async () => {
    t = await startHosts([INDEX]);
    const bastion = t.hosts[0]!;
    inner = await startSshd({ netns: bastion.ns!.name, address: '127.0.0.1', probeInNetns: true });
    target = hostAccessFor(inner, {
      id: 'host-inner',
      name: 'inner',
      jump: { ...bastion.access, id: 'host-bastion', name: 'bastion' },
    });
  }, 120_000);
  afterAll(async () => {
    await inner?.stop();
    await t?.stop();
  });

  it('masks the jump host’s credential with the target’s', () => {
    const jumpAuth = target.jump!.auth;
    const jumpSecret = jumpAuth.kind === 'ssh_password' ? jumpAuth.password : jumpAuth.private_key;
    expect(secretsOf([target])).toContain(jumpSecret);
    expect(secretsOf([{ ...target, jump: undefined }])).not.toContain(jumpSecret);
  });

  it('installs compose on the inner host over the jump host', async () => {
    await expect(
      connectHost({ ...target, jump: undefined }, { connectTimeoutMs: 3_000 }),
    ).rejects.toMatchObject({ code: expect.stringMatching(/SSH_CONNECT|TIMEOUT/) });

    const bundle = findBundle(await loadManifest(), 'compose', '24.0.7-synth')!;
    const r = recorder();
    const done = await runInstall(
      {
        kind: 'environment_install',
        install: {
          task_id: 't-jump',
          environment_id: 'e-jump',
          action: 'install',
          runtime: 'compose',
          version: bundle.version,
          host_ids: [target.id],
          options: { prefix: t.prefix, parallelism: 1, lvs_vip: null, roles: null },
        },
        bundle,
        hosts: [target],
      },
      r.ctx,
      (h) => connectHost(h),
      { bundleDir: SCRIPT_DIR },
    );
    expect(done.status, JSON.stringify(done.diagnostics)).toBe('succeeded');
    const st = finalStatus(r.steps);
    expect(INSTALL_STEPS.map((s) => st[`install.${s}.host-inner`])).toEqual(
      INSTALL_STEPS.map(() => 'succeeded'),
    );
    // The key pinned for the target is the inner host's, not the jump host's.
    const preflight = r.steps.find((s) => s.name.startsWith('install.preflight') && s.status === 'succeeded');
    expect(preflight?.observed_host_key).toBe(inner.hostKeyFingerprint);
    // The inner sshd shares the namespace's prefix directory, so the install landed there.
    expect(readFileSync(join(t.hosts[0]!.dir, 'usr/local/bin/dockerd'), 'utf8')).toContain(
      'Stand-in for dockerd',
    );
  });
});
