/**
 * The runner bundle is what gets copied onto hosts in private networks, where there is a `node`
 * binary and nothing else. So it is run here the same way: alone in an empty directory, no
 * node_modules above it, an empty environment. The SSH and cluster jobs make the lazily loaded
 * adapters (ssh2 without its native addons, @kubernetes/client-node) do real work from the bundle.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { timingSafeEqual } from 'node:crypto';
import { copyFile, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import ssh2 from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenAccess } from '../test/peers/k8s-fixture/harness';
import { type K8sFixture, startK8sFixture } from '../test/peers/k8s-fixture/server';
import { FakePlatform } from '../test/support/fake-platform';
import { recordResponse, registerSecret } from '../test/support/leak-guard';
import { buildRunner, RUNNER_FILE } from './build-runner';

const ROOT = resolve(import.meta.dirname, '..');
let work: string;
/** The directory holding the bundle and nothing else. */
let bare: string;
let bundle: string;
let platform: FakePlatform;
const children = new Set<ChildProcess>();

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'k8sm-runner-bundle-'));
  await buildRunner(join(work, 'out'));
  bare = await mkdtemp(join(tmpdir(), 'k8sm-runner-bare-'));
  bundle = join(bare, RUNNER_FILE);
  await copyFile(join(work, 'out', RUNNER_FILE), bundle);
  platform = await FakePlatform.start();
});
afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await platform?.close();
  await rm(work, { recursive: true, force: true });
  await rm(bare, { recursive: true, force: true });
});

type Run = { code: number | null; lines: string[] };

/** Runs the copied bundle as its shebang would, finding `node` on an otherwise empty environment. */
function runBundle(args: string[], ms = 20_000): Promise<Run> {
  const child = spawn(bundle, args, {
    cwd: bare,
    env: { PATH: dirname(process.execPath) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  children.add(child);
  let err = '';
  child.stderr!.on('data', (d: Buffer) => {
    err += d.toString('utf8');
  });
  return new Promise((done) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    child.on('exit', (code) => {
      clearTimeout(timer);
      children.delete(child);
      const lines = err.split('\n').filter(Boolean);
      for (const l of lines) recordResponse(l);
      done({ code, lines });
    });
  });
}

const messages = (r: Run) => r.lines.map((l) => (JSON.parse(l) as { msg: string }).msg);
const stateDir = () => join(bare, 'state');
const base = () => ['--api', platform.url, '--state-dir', stateDir()];

/** An SSH server that takes one public key and answers every command like `uname -srm` would. */
async function startSshServer(clientPublicKey: string) {
  const hostKey = ssh2.utils.generateKeyPairSync('ed25519');
  const allowed = ssh2.utils.parseKey(clientPublicKey);
  if (allowed instanceof Error) throw allowed;
  const same = (a: Buffer, b: Buffer) => a.length === b.length && timingSafeEqual(a, b);
  const server = new ssh2.Server({ hostKeys: [hostKey.private] }, (client) => {
    client.on('authentication', (ctx) => {
      if (ctx.method !== 'publickey' || !same(ctx.key.data, allowed.getPublicSSH())) return ctx.reject();
      if (!ctx.signature) return ctx.accept();
      const blob = ctx.blob;
      if (blob && allowed.verify(blob, ctx.signature, ctx.hashAlgo) === true) return ctx.accept();
      ctx.reject();
    });
    client.on('session', (accept) => {
      accept().on('exec', (acceptExec) => {
        const stream = acceptExec();
        stream.write('Linux 6.1.0-bundle x86_64\n');
        stream.exit(0);
        stream.end();
      });
    });
    client.on('error', () => {});
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, port: (server.address() as AddressInfo).port };
}

describe('the runner bundle, alone on bare Node', () => {
  it('is one executable file that names no path of the machine it was built on', async () => {
    const text = await readFile(bundle, 'utf8');
    expect(text.startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect((await stat(join(work, 'out', RUNNER_FILE))).mode & 0o111).toBe(0o111);
    expect(text).not.toContain(ROOT);
    expect(text).not.toContain(work);
    // Nothing the bundle could fall back on: no node_modules anywhere above it.
    for (let d = bare; d !== dirname(d); d = dirname(d))
      await expect(stat(join(d, 'node_modules'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('rejects bad arguments with exit code 1', async () => {
    const r = await runBundle(['--no-such-option']);
    expect(r.code).toBe(1);
    expect(r.lines.map((l) => JSON.parse(l))).toEqual([
      expect.objectContaining({
        level: 'error',
        msg: 'invalid arguments',
        err: 'unknown option --no-such-option',
      }),
    ]);
  });

  it('registers, claims once with nothing waiting and exits 0, keeping its identity private', async () => {
    const token = registerSecret(platform.newRegistrationToken());
    const r = await runBundle([...base(), '--registration-token', token, '--once']);
    expect(r.code).toBe(0);
    expect(messages(r)).toEqual(expect.arrayContaining(['registered', 'runner started']));
    expect([platform.registerCalls, platform.claimCalls]).toEqual([1, 1]);
    const identityPath = join(stateDir(), 'identity.json');
    registerSecret(JSON.parse(await readFile(identityPath, 'utf8')).runner_token);
    expect((await stat(identityPath)).mode & 0o777).toBe(0o600);
    expect((await stat(stateDir())).mode & 0o777).toBe(0o700);
    expect(r.lines.join('\n')).not.toContain(token);
  });

  describe('with its adapters loaded from the bundle', () => {
    let k8s: K8sFixture;
    beforeAll(async () => {
      k8s = await startK8sFixture();
      registerSecret(k8s.token);
    });
    afterAll(() => k8s?.stop());

    it('runs a host test over SSH without ssh2 native addons', async () => {
      const clientKey = ssh2.utils.generateKeyPairSync('ed25519');
      registerSecret(clientKey.private);
      const { server, port } = await startSshServer(clientKey.public);
      try {
        const job = platform.addJob({
          kind: 'host_test',
          host: {
            id: 'host_1',
            name: 'edge',
            address: '127.0.0.1',
            port,
            username: 'deploy',
            host_key: null,
            auth: { kind: 'ssh_private_key', private_key: clientKey.private },
          },
        });
        const r = await runBundle([...base(), '--once']);
        expect(r.code).toBe(0);
        expect(job.completion).toMatchObject({
          status: 'succeeded',
          result: { reachable: true, version: 'Linux 6.1.0-bundle x86_64' },
        });
        expect(job.steps.map((s) => `${s.name}:${s.status}`)).toContain('ssh.connect:succeeded');
      } finally {
        server.close();
      }
    });

    it('runs a cluster test with the Kubernetes client', async () => {
      const job = platform.addJob({ kind: 'cluster_test', cluster: tokenAccess(k8s) });
      const r = await runBundle([...base(), '--once']);
      expect(r.code).toBe(0);
      expect(job.completion).toMatchObject({
        status: 'succeeded',
        result: { reachable: true, version: k8s.gitVersion },
      });
    });
  });
});
