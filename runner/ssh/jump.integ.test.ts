/**
 * Hosts behind a jump host (SPEC §7.6): the target's sshd listens on the loopback of the jump host's
 * network namespace, so only the jump host reaches it. The runner connects to the jump host with
 * its own pinned key and login, opens a channel to the target (`forwardOut`), and runs the target's
 * session over it with the target's pinned key and login.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StepReport } from '../../shared/jobs/kinds';
import { hostAccessFor } from '../../test/peers/host-access';
import { createNetnsHost, type NetnsHost, netnsAvailable } from '../../test/peers/netns';
import { peerAvailable } from '../../test/peers/require';
import { type SshPeer, startSshd } from '../../test/peers/sshd';
import type { RunContext } from '../jobs/steps';
import { connectHost } from './executor';
import { testHost } from './host-test';

// Index 186 is this file's; other files pick their own.
const INDEX = 186;
const OTHER_KEY = 'SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

function context() {
  const steps: StepReport[] = [];
  const ctx: RunContext = {
    steps: { report: (s) => void steps.push(s) },
    attempt: 1,
    signal: new AbortController().signal,
  };
  return { ctx, steps };
}

describe.skipIf(!(netnsAvailable() && peerAvailable(['sshd', 'ssh-keygen', 'bash', 'timeout'])))(
  'a host reached through a jump host',
  { timeout: 60_000 },
  () => {
    let ns: NetnsHost;
    let jump: SshPeer;
    let target: SshPeer;
    const jumpAccess = () => hostAccessFor(jump, { id: 'host_jump', name: 'bastion' });
    const targetAccess = (over = {}) =>
      hostAccessFor(target, { id: 'host_inner', name: 'inner', jump: jumpAccess(), ...over });

    beforeAll(async () => {
      ns = await createNetnsHost(INDEX);
      jump = await startSshd({ netns: ns.name, address: ns.address });
      target = await startSshd({
        netns: ns.name,
        address: '127.0.0.1',
        probeInNetns: true,
        setEnv: { HOST_ROLE: 'inner' },
      });
    }, 60_000);
    afterAll(async () => {
      await target?.stop();
      await jump?.stop();
      await ns?.destroy();
    });

    it('cannot be reached directly', async () => {
      await expect(
        connectHost(targetAccess({ jump: undefined }), { connectTimeoutMs: 3_000 }),
      ).rejects.toMatchObject({
        code: expect.stringMatching(/SSH_CONNECT|TIMEOUT/),
      });
    });

    it('takes a test and an SSH step through the jump host, reporting both hops', async () => {
      const { ctx, steps } = context();
      const report = await testHost(targetAccess(), ctx);
      expect(report.status, JSON.stringify(report)).toBe('succeeded');
      expect(report.result).toMatchObject({
        reachable: true,
        hops: [
          { host_id: 'host_jump', ok: true, error_code: null },
          { host_id: 'host_inner', ok: true, error_code: null },
        ],
      });
      // The key the platform pins on first contact is the target's, not the jump host's.
      const connect = steps.find((s) => s.name === 'ssh.connect' && s.status === 'succeeded');
      expect(connect?.observed_host_key).toBe(target.hostKeyFingerprint);

      const { shell } = await connectHost(targetAccess());
      try {
        const r = await shell.exec(['printenv', 'HOST_ROLE'], { timeoutMs: 10_000 });
        expect(r.stdout).toBe('inner\n');
      } finally {
        await shell.close();
      }
    });

    it('refuses a jump host whose key is not the pinned one, naming the jump host, before any login', async () => {
      const { ctx } = context();
      const report = await testHost(targetAccess({ jump: { ...jumpAccess(), host_key: OTHER_KEY } }), ctx);
      expect(report).toMatchObject({
        status: 'failed',
        error_code: 'HOST_KEY_MISMATCH',
        result: {
          reachable: false,
          hops: [
            { host_id: 'host_jump', ok: false, error_code: 'HOST_KEY_MISMATCH' },
            { host_id: 'host_inner', ok: null, error_code: null },
          ],
        },
      });
      expect(String(report.diagnostics?.message)).toMatch(/jump host bastion: host key of bastion/);
    });

    it('pins the target behind the jump host too', async () => {
      const report = await testHost(targetAccess({ host_key: OTHER_KEY }), context().ctx);
      expect(report).toMatchObject({
        status: 'failed',
        error_code: 'HOST_KEY_MISMATCH',
        result: {
          hops: [{ ok: true }, { host_id: 'host_inner', ok: false, error_code: 'HOST_KEY_MISMATCH' }],
        },
      });
    });
  },
);
