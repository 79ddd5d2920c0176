import { type ChildProcess, spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakePlatform } from '../test/support/fake-platform';
import { recordResponse, registerSecret } from '../test/support/leak-guard';

const ROOT = resolve(import.meta.dirname, '..');
let platform: FakePlatform;
let dir: string;
const children = new Set<ChildProcess>();

beforeEach(async () => {
  platform = await FakePlatform.start();
  dir = await mkdtemp(join(tmpdir(), 'runner-cli-'));
});
afterEach(async () => {
  for (const c of children) c.kill('SIGKILL');
  children.clear();
  await platform.close();
  await rm(dir, { recursive: true, force: true });
});

type Run = { code: number | null; lines: string[]; child: ChildProcess };

/** Runs the CLI; `onLine` sees each stderr line as it arrives. Killed if it outlives `ms`. */
function runner(args: string[], onLine: (line: string, child: ChildProcess) => void = () => {}, ms = 20_000) {
  const child = spawn(join(ROOT, 'node_modules/.bin/tsx'), ['runner/cli.ts', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  children.add(child);
  const lines: string[] = [];
  let buf = '';
  child.stderr!.on('data', (d: Buffer) => {
    buf += d.toString('utf8');
    for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      lines.push(line);
      recordResponse(line);
      onLine(line, child);
    }
  });
  return new Promise<Run>((done) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    child.on('exit', (code) => {
      clearTimeout(timer);
      children.delete(child);
      done({ code, lines, child });
    });
  });
}

const base = () => ['--api', platform.url, '--state-dir', join(dir, 'state')];
const messages = (r: Run) => r.lines.map((l) => (JSON.parse(l) as { msg: string }).msg);

describe('runner CLI', () => {
  it('registers, runs --once with no job waiting, reuses its identity, and exits 3 once revoked', async () => {
    const token = registerSecret(platform.newRegistrationToken());
    const first = await runner([...base(), '--registration-token', token, '--once', '--labels', 'zone=a']);
    expect(first.code).toBe(0);
    expect(messages(first)).toEqual(expect.arrayContaining(['registered', 'runner started']));
    expect([platform.registerCalls, platform.claimCalls]).toEqual([1, 1]);
    const identity = JSON.parse(await readFile(join(dir, 'state', 'identity.json'), 'utf8'));
    registerSecret(identity.runner_token);

    const second = await runner([...base(), '--registration-token', token, '--once']);
    expect(second.code).toBe(0);
    expect(platform.registerCalls).toBe(1);
    expect(messages(second)).toContain('already registered; ignoring --registration-token');

    platform.revokeAll();
    const revoked = await runner([...base(), '--once']);
    expect(revoked.code).toBe(3);
    expect(revoked.lines.join('\n')).toMatch(/revoked or rotated/);

    const all = [...first.lines, ...second.lines, ...revoked.lines].join('\n');
    expect(all).not.toContain(token);
    expect(all).not.toContain(identity.runner_token);
  });

  it('stops claiming on SIGTERM and exits 0', async () => {
    const run = await runner(
      [...base(), '--registration-token', platform.newRegistrationToken()],
      (line, child) => {
        if (line.includes('"runner started"')) setTimeout(() => child.kill('SIGTERM'), 200);
      },
    );
    expect(run.code).toBe(0);
    expect(messages(run)).toEqual(expect.arrayContaining(['signal received; finishing running jobs']));
  });

  it('exits 1 on bad arguments, an open state directory, or a refused registration token', async () => {
    const http = await runner(['--api', 'http://deploy.example.com', '--state-dir', join(dir, 's')]);
    expect(http.code).toBe(1);
    expect(http.lines.join('\n')).toMatch(/must be https/);

    await mkdir(join(dir, 'open'));
    await chmod(join(dir, 'open'), 0o755);
    const open = await runner(['--api', platform.url, '--state-dir', join(dir, 'open'), '--once']);
    expect(open.code).toBe(1);
    expect(open.lines.join('\n')).toMatch(/open to group or others/);

    const refused = await runner([
      ...base(),
      '--registration-token',
      'reg_0000000000000000_unknown',
      '--once',
    ]);
    expect(refused.code).toBe(1);
    expect(messages(refused)).toContain('registration refused');
    expect(refused.lines.join('\n')).not.toContain('reg_0000000000000000_unknown');
  });
});
