import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostAccess } from '../../shared/jobs/claim';
import { hostAccessFor } from '../../test/peers/host-access';
import { peerAvailable } from '../../test/peers/require';
import { type SshPeer, startSshd } from '../../test/peers/sshd';
import { StepError } from '../jobs/steps';
import { connectHost } from './executor';

/** Resolves to the StepError the promise rejects with; fails the test if it resolves. */
async function refusal(p: Promise<{ shell: { close(): Promise<void> } }>): Promise<StepError> {
  const r = await p.then(
    async (c) => {
      await c.shell.close();
      return null;
    },
    (e: unknown) => e,
  );
  if (!(r instanceof StepError)) throw new Error(`expected a StepError, got ${String(r)}`);
  return r;
}

const listen = (srv: Server) =>
  new Promise<number>((resolve) =>
    srv.listen(0, '127.0.0.1', () => resolve((srv.address() as { port: number }).port)),
  );

describe.skipIf(!peerAvailable(['sshd', 'ssh-keygen']))('connectHost against a real sshd', () => {
  let peer: SshPeer;
  let host: HostAccess;
  let silentPort: number;
  const dir = mkdtempSync(join(tmpdir(), 'ssh-connect-'));
  const silent: Socket[] = [];
  const silentServer = createServer((s) => silent.push(s));

  beforeAll(async () => {
    peer = await startSshd();
    host = hostAccessFor(peer);
    silentPort = await listen(silentServer);
  });
  afterAll(async () => {
    for (const s of silent) s.destroy();
    await new Promise((r) => silentServer.close(r));
    await peer?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('on first contact accepts the key and returns the fingerprint ssh-keygen prints', async () => {
    const { shell, observedHostKey } = await connectHost({ ...host, host_key: null });
    expect(observedHostKey).toBe(peer.hostKeyFingerprint);
    expect((await shell.exec(['id', '-u'])).stdout).toBe('0\n');
    await shell.close();
  });

  it('connects when the pinned key matches', async () => {
    const { shell, observedHostKey } = await connectHost(host);
    expect(observedHostKey).toBe(host.host_key);
    expect((await shell.exec(['echo', 'ok'])).stdout).toBe('ok\n');
    await shell.close();
  });

  it('maps a key the server does not accept to SSH_AUTH without key material in the message', async () => {
    const other = ssh2.utils.generateKeyPairSync('ed25519');
    const err = await refusal(
      connectHost({ ...host, auth: { kind: 'ssh_private_key', private_key: other.private } }),
    );
    expect(err.code).toBe('SSH_AUTH');
    expect(err.message).toContain('root');
    for (const line of other.private.split('\n').filter((l) => l.length > 20))
      expect(err.message).not.toContain(line);
  });

  it('maps a wrong passphrase and a refused password to SSH_AUTH, never echoing either', async () => {
    const passphrase = 'correct horse battery staple';
    const locked = ssh2.utils.generateKeyPairSync('ed25519', { passphrase, cipher: 'aes256-ctr', rounds: 4 });
    const wrong = 'wrong-passphrase-9f8e7d';
    const e1 = await refusal(
      connectHost({
        ...host,
        auth: { kind: 'ssh_private_key', private_key: locked.private, passphrase: wrong },
      }),
    );
    expect(e1.code).toBe('SSH_AUTH');
    expect(e1.message).not.toContain(wrong);
    expect(e1.message).not.toContain(passphrase);

    // The peer takes keys only, so the password path ends in a refusal after it was offered.
    const password = 'pw-Zq81-not-accepted';
    const e2 = await refusal(connectHost({ ...host, auth: { kind: 'ssh_password', password } }));
    expect(e2.code).toBe('SSH_AUTH');
    expect(e2.message).not.toContain(password);
  });

  it('maps a closed port to SSH_CONNECT', async () => {
    const probe = createServer();
    const port = await listen(probe);
    await new Promise((r) => probe.close(r));
    const err = await refusal(connectHost({ ...host, port }));
    expect(err.code).toBe('SSH_CONNECT');
    expect(err.message).toContain(`127.0.0.1:${port}`);
  });

  it('maps a server that never speaks SSH to TIMEOUT within the connect timeout', async () => {
    const started = Date.now();
    const err = await refusal(connectHost({ ...host, port: silentPort }, { connectTimeoutMs: 400 }));
    expect(err.code).toBe('TIMEOUT');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('stops connecting when its signal aborts', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    const err = await refusal(
      connectHost({ ...host, port: silentPort }, { signal: ac.signal, connectTimeoutMs: 30_000 }),
    );
    expect(err.code).toBe('TIMEOUT');
  });

  // Last: it changes the peer's host key.
  it('refuses a changed host key before authenticating, so nothing runs', async () => {
    const oldPin = host.host_key!;
    const rotated = await peer.rotateHostKey();
    expect(rotated).not.toBe(oldPin);
    const marker = join(dir, 'ran');

    const err = await refusal(
      connectHost(host).then(async (c) => {
        await c.shell.exec(['touch', marker]);
        return c;
      }),
    );
    expect(err.code).toBe('HOST_KEY_MISMATCH');
    expect(err.message).toContain(oldPin);
    expect(err.message).toContain(rotated);
    expect(err.extra.detail).toEqual({ expected_host_key: oldPin, observed_host_key: rotated });
    expect(existsSync(marker)).toBe(false);

    // With a key the server would refuse, a check after authentication would say SSH_AUTH.
    const stranger = ssh2.utils.generateKeyPairSync('ed25519').private;
    const err2 = await refusal(
      connectHost({ ...host, auth: { kind: 'ssh_private_key', private_key: stranger } }),
    );
    expect(err2.code).toBe('HOST_KEY_MISMATCH');

    const { shell, observedHostKey } = await connectHost({ ...host, host_key: rotated });
    expect(observedHostKey).toBe(rotated);
    expect((await shell.exec(['test', '-e', marker])).code).toBe(1);
    await shell.close();
  });
});
