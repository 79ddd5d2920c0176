import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostAccessFor } from '../../test/peers/host-access';
import { peerAvailable } from '../../test/peers/require';
import { type SshPeer, startSshd } from '../../test/peers/sshd';
import { StepError } from '../jobs/steps';
import { connectHost, type SshShell } from './executor';
import { EXEC_OUTPUT_CAP } from './output';

const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

describe.skipIf(!peerAvailable(['sshd', 'ssh-keygen']))('SshShell against a real sshd', () => {
  let peer: SshPeer;
  let shell: SshShell;
  // The peer runs on this machine, so "remote" paths are local ones the test can clean up.
  const dir = mkdtempSync(join(tmpdir(), 'ssh-shell-'));

  beforeAll(async () => {
    peer = await startSshd();
    ({ shell } = await connectHost(hostAccessFor(peer)));
  });
  afterAll(async () => {
    await shell?.close();
    await peer?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const run = async (argv: string[]) => {
    const r = await shell.exec(argv, { timeoutMs: 10_000 });
    return r;
  };

  it('keeps every exit code and output of many quick commands on many connections at once', async () => {
    // A command that ends at once can have its output, exit status and close arrive in the same
    // read as the exec reply; each of those must still reach the result.
    // Its own server, whose sessions skip the login user's shell start-up files (SHLVL set), so
    // commands end as fast as they can: that is when the race shows.
    const quick = await startSshd({ setEnv: { SHLVL: '1' } });
    // One after another: sshd drops unauthenticated connections beyond MaxStartups.
    const shells: SshShell[] = [];
    try {
      for (let i = 0; i < 20; i++) shells.push((await connectHost(hostAccessFor(quick))).shell);
      const results = await Promise.all(
        shells.flatMap((sh) =>
          Array.from({ length: 20 }, (_, i) => sh.exec(['sh', '-c', `echo ${i}; exit ${i % 3}`])),
        ),
      );
      expect(results.filter((r, n) => r.code !== (n % 20) % 3 || r.stdout !== `${n % 20}\n`)).toEqual([]);
    } finally {
      await Promise.all(shells.map((sh) => sh.close()));
      await quick.stop();
    }
  }, 60_000);

  it('answers a quick command without waiting on a delayed ACK', async () => {
    // With Nagle's algorithm on, each exec waited for the server's delayed ACK (40 ms on Linux):
    // `true` took about 50 ms, where without it it takes under 10 even on a busy machine.
    const quick = await startSshd({ setEnv: { SHLVL: '1' } });
    const { shell: sh } = await connectHost(hostAccessFor(quick));
    try {
      const times: number[] = [];
      for (let i = 0; i < 15; i++) {
        const t = performance.now();
        expect((await sh.exec(['true'])).code).toBe(0);
        times.push(performance.now() - t);
      }
      times.sort((a, b) => a - b);
      expect(times[7]).toBeLessThan(30);
    } finally {
      await sh.close();
      await quick.stop();
    }
  }, 60_000);

  it('returns exit codes, stdout and stderr; a non-zero exit is a result, not an error', async () => {
    expect(await run(['sh', '-c', 'echo out; echo err >&2; exit 3'])).toEqual({
      code: 3,
      signal: null,
      stdout: 'out\n',
      stderr: 'err\n',
    });
    expect((await run(['true'])).code).toBe(0);
    expect((await run(['sh', '-c', 'kill -TERM $$'])).signal).toBe('SIGTERM');
  });

  it('runs more commands at once than the server allows sessions, by queueing them', async () => {
    // What is asserted is that every command runs once, in full; on this OpenSSH a channel opened
    // as another closes can wait ~10 s for the server, so each command gets 30 s here.
    const results = await Promise.all(
      Array.from({ length: 24 }, async (_, i) =>
        shell.exec(['sh', '-c', `sleep 0.2; echo ${i}`], { timeoutMs: 30_000 }),
      ),
    );
    expect(results.map((r) => r.stdout)).toEqual(Array.from({ length: 24 }, (_, i) => `${i}\n`));
  });

  it('feeds stdin and ends it when none is given', async () => {
    const r = await shell.exec(['cat'], { stdin: 'hello\nworld', timeoutMs: 10_000 });
    expect(r.stdout).toBe('hello\nworld');
    expect((await run(['cat'])).stdout).toBe('');
  });

  it('delivers hostile arguments intact', async () => {
    const argv = ["it's", '$(touch x)', '`id`', 'a\nb', '-n', '', ' ', '\\', '"', '*', '~', 'A=b', '日本'];
    const r = await run(['printf', '%s\\0', ...argv]);
    expect(r.stdout.split('\0').slice(0, -1)).toEqual(argv);
  });

  it('keeps the tail of output beyond the cap', async () => {
    const r = await run(['sh', '-c', "head -c 3000000 /dev/zero | tr '\\0' a; echo END"]);
    expect(r.stdout.length).toBeLessThanOrEqual(EXEC_OUTPUT_CAP);
    expect(r.stdout.length).toBeGreaterThan(EXEC_OUTPUT_CAP - 70_000);
    expect(r.stdout.endsWith('aaaEND\n')).toBe(true);
  });

  async function gone(pid: string): Promise<boolean> {
    for (let i = 0; i < 50; i++) {
      if ((await run(['kill', '-0', pid])).code !== 0) return true;
      await sleep(100);
    }
    return false;
  }

  /**
   * Runs a command whose background child writes its pid, and checks that nothing of it survives:
   * either the pid file appears and that process is gone, or it never appears because the group
   * died first.
   */
  async function sleeper(name: string, opts: { timeoutMs?: number; signal?: AbortSignal }) {
    const pidFile = join(dir, `${name}.pid`);
    const err = await shell.exec(['sh', '-c', `sleep 30 & echo $! > ${pidFile}; wait`], opts).catch((e) => e);
    expect(err).toBeInstanceOf(StepError);
    expect(err.code).toBe('TIMEOUT');
    await sleep(1_000);
    if (!existsSync(pidFile)) return false;
    const pid = readFileSync(pidFile, 'utf8').trim();
    expect(pid).toMatch(/^\d+$/);
    expect(await gone(pid)).toBe(true);
    return true;
  }

  it('kills a command and its children when it outlives its timeout, failing with TIMEOUT', async () => {
    const started = Date.now();
    expect(await sleeper('timeout', { timeoutMs: 3_000 })).toBe(true);
    // Well before the wait for a channel that never closes would have given up.
    expect(Date.now() - started).toBeLessThan(9_000);
    expect((await run(['echo', 'still here'])).stdout).toBe('still here\n');
  });

  it.each([0, 30, 150])('kills a command when its signal aborts (after %i ms)', async (ms) => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), ms);
    await sleeper(`abort-${ms}`, { signal: ac.signal, timeoutMs: 20_000 });
  });

  it('uploads with the given mode (0600 by default) and replaces a file only when complete', async () => {
    const target = join(dir, 'app.env');
    await shell.upload('A=1\n', target);
    expect((await run(['stat', '-c', '%a', target])).stdout.trim()).toBe('600');
    await shell.upload(Buffer.from('A=2\n'), target, { mode: 0o640 });
    expect((await run(['cat', target])).stdout).toBe('A=2\n');
    expect((await run(['stat', '-c', '%a', target])).stdout.trim()).toBe('640');

    // While a large replacement is written, readers see the old content or the new, never a mix.
    const big = [randomBytes(8 << 20), randomBytes(8 << 20)];
    await shell.upload(big[0]!, target);
    const allowed = big.map(sha256);
    const seen = new Set<string>();
    let writing = true;
    const reader = (async () => {
      for (let i = 0; i < 200 && writing; i++)
        seen.add((await run(['sha256sum', target])).stdout.split(' ')[0]!);
    })();
    await shell.upload(big[1]!, target);
    writing = false;
    await reader;
    for (const h of seen) expect(allowed).toContain(h);
    expect((await run(['sha256sum', target])).stdout.split(' ')[0]).toBe(allowed[1]);
    expect((await run(['ls', '-A', dir])).stdout).not.toMatch(/\.tmp-/);
  });

  it('fails an upload it cannot finish with COMMAND_FAILED and leaves nothing behind', async () => {
    const err = await shell.upload('x', join(dir, 'missing-dir', 'file')).catch((e) => e);
    expect(err).toBeInstanceOf(StepError);
    expect(err.code).toBe('COMMAND_FAILED');
    // A directory cannot be replaced by a file: the rename fails after the write.
    const asDir = join(dir, 'is-a-dir');
    await run(['mkdir', '-p', join(asDir, 'inner')]);
    const err2 = await shell.upload('x', asDir).catch((e) => e);
    expect(err2.code).toBe('COMMAND_FAILED');
    expect((await run(['ls', '-A', dir])).stdout).not.toMatch(/\.tmp-/);
    expect((await run(['test', '-d', join(asDir, 'inner')])).code).toBe(0);
  });

  it('copies a large local file with uploadFile, byte for byte', async () => {
    const local = join(dir, 'local.bin');
    const data = randomBytes(24 << 20);
    writeFileSync(local, data);
    const remote = join(dir, 'remote.bin');
    const started = performance.now();
    await shell.uploadFile(local, remote, { mode: 0o644 });
    const ms = performance.now() - started;
    expect((await run(['sha256sum', remote])).stdout.split(' ')[0]).toBe(sha256(data));
    expect((await run(['stat', '-c', '%a', remote])).stdout.trim()).toBe('644');
    expect(ms).toBeLessThan(20_000);
  });
});
