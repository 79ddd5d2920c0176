import { execFileSync } from 'node:child_process';
import ssh2 from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectionResult, type HostAccess } from '../../shared/jobs/claim';
import { CompleteReport, StepReport } from '../../shared/jobs/kinds';
import { hostAccessFor } from '../../test/peers/host-access';
import { peerAvailable } from '../../test/peers/require';
import { type SshPeer, startSshd } from '../../test/peers/sshd';
import type { RunContext } from '../jobs/steps';
import { testHost } from './host-test';

function context() {
  const steps: StepReport[] = [];
  const ctx: RunContext = {
    attempt: 1,
    signal: new AbortController().signal,
    // Parsing here proves every report is one the platform accepts.
    steps: { report: (s) => steps.push(StepReport.parse(s)) },
  };
  return { ctx, steps };
}

const statuses = (steps: StepReport[]) => steps.map((s) => `${s.name}:${s.status}`);

describe.skipIf(!peerAvailable(['sshd', 'ssh-keygen']))('testHost against a real sshd', () => {
  let peer: SshPeer;
  let host: HostAccess;

  beforeAll(async () => {
    peer = await startSshd();
    host = { ...hostAccessFor(peer), id: 'host_7Kq2' };
  });
  afterAll(async () => {
    await peer?.stop();
  });

  it('reports reachable with the kernel version and reports the observed host key on connect', async () => {
    const { ctx, steps } = context();
    const report = CompleteReport.parse(await testHost({ ...host, host_key: null }, ctx));
    expect(report.status).toBe('succeeded');
    const result = ConnectionResult.parse(report.result);
    // The peer runs on this machine, so its kernel is ours.
    expect(result.version).toBe(execFileSync('uname', ['-srm']).toString().trim());
    expect(result.reachable).toBe(true);
    expect(result.latency_ms).toBeGreaterThanOrEqual(0);

    expect(statuses(steps)).toEqual([
      'ssh.connect:running',
      'ssh.connect:succeeded',
      'ssh.probe:running',
      'ssh.probe:succeeded',
      'compose.detect:running',
      'compose.detect:succeeded',
    ]);
    // The compose the host runs, for the preview's checks: the peer's is this machine's.
    const local = (argv: string[]) => {
      try {
        return execFileSync(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'ignore'] })
          .toString()
          .trim()
          .split('\n')[0];
      } catch {
        return null;
      }
    };
    const v2 = local(['docker', 'compose', 'version']);
    const v1 = v2 ? null : local(['docker-compose', 'version']);
    expect(result.compose).toEqual(
      v2
        ? { dialect: 'v2', version: v2 }
        : v1
          ? { dialect: 'v1', version: v1 }
          : { dialect: null, version: null },
    );
    for (const s of steps) expect(s.host_id).toBe('host_7Kq2');
    expect(steps[1]!.observed_host_key).toBe(peer.hostKeyFingerprint);
    expect(steps[3]!.output).toBe(result.version);
    expect(JSON.stringify({ report, steps })).not.toContain(peer.privateKey.split('\n')[1]);
  });

  it('fails with SSH_AUTH and stops after the connect step when the key is refused', async () => {
    const { ctx, steps } = context();
    const stranger = ssh2.utils.generateKeyPairSync('ed25519').private;
    const report = CompleteReport.parse(
      await testHost({ ...host, auth: { kind: 'ssh_private_key', private_key: stranger } }, ctx),
    );
    expect(report).toMatchObject({
      status: 'failed',
      error_code: 'SSH_AUTH',
      result: { reachable: false, version: null, latency_ms: null },
    });
    expect(String(report.diagnostics?.message)).toMatch(/authentication as root/);
    expect(statuses(steps)).toEqual(['ssh.connect:running', 'ssh.connect:failed']);
    expect(steps[1]).toMatchObject({ host_id: 'host_7Kq2', error_code: 'SSH_AUTH' });
    expect(steps[1]!.observed_host_key).toBeUndefined();
    const sent = JSON.stringify({ report, steps });
    for (const line of stranger.split('\n').filter((l) => l.length > 20)) expect(sent).not.toContain(line);
  });

  it('fails with HOST_KEY_MISMATCH naming both fingerprints when the pin differs', async () => {
    const { ctx, steps } = context();
    const pin = `SHA256:${'A'.repeat(43)}`;
    const report = CompleteReport.parse(await testHost({ ...host, host_key: pin }, ctx));
    expect(report.status).toBe('failed');
    expect(report.error_code).toBe('HOST_KEY_MISMATCH');
    expect(report.diagnostics?.message).toContain(pin);
    expect(report.diagnostics?.message).toContain(peer.hostKeyFingerprint);
    expect(report.result).toEqual({ reachable: false, version: null, latency_ms: null });
    expect(statuses(steps)).toEqual(['ssh.connect:running', 'ssh.connect:failed']);
    expect(steps[1]).toMatchObject({ error_code: 'HOST_KEY_MISMATCH', host_id: 'host_7Kq2' });
  });

  it('fails with SSH_CONNECT when nothing listens', async () => {
    const { ctx } = context();
    const report = await testHost({ ...host, port: 1 }, ctx);
    expect(report).toMatchObject({
      status: 'failed',
      error_code: 'SSH_CONNECT',
      result: { reachable: false },
    });
  });
});
