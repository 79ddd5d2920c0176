import { chmod, mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakePlatform } from '../test/support/fake-platform';
import { captureLogs, registerSecret } from '../test/support/leak-guard';
import { ApiProblem, RunnerClient } from './client';
import { Logger } from './log';
import { ensureIdentity, IDENTITY_FILE, KEY_FILE, StateError } from './state';

let platform: FakePlatform;
let root: string;
let lines: string[];

beforeEach(async () => {
  platform = await FakePlatform.start();
  root = await mkdtemp(join(tmpdir(), 'runner-state-'));
  lines = [];
});
afterEach(async () => {
  await platform.close();
  await rm(root, { recursive: true, force: true });
});

const start = (dir: string, registrationToken?: string, api = platform.url) =>
  ensureIdentity({
    dir,
    api,
    registrationToken,
    name: 'edge-1',
    labels: { zone: 'a' },
    version: '0.1.0',
    register: (body) => new RunnerClient({ api }).register(body),
    log: new Logger(captureLogs(lines)),
  });

const mode = async (p: string) => (await stat(p)).mode & 0o777;

describe('runner identity', () => {
  it('registers once, then reuses the identity without the token', async () => {
    const dir = join(root, 'state');
    const token = registerSecret(platform.newRegistrationToken());
    const first = await start(dir, token);
    registerSecret(first.identity.runner_token);
    expect(platform.registerCalls).toBe(1);
    expect([...platform.runners.values()][0]!.publicKey).toBe(first.publicKey);
    expect(await mode(dir)).toBe(0o700);
    expect(await mode(join(dir, IDENTITY_FILE))).toBe(0o600);
    expect(await mode(join(dir, KEY_FILE))).toBe(0o600);
    expect((await readdir(dir)).sort()).toEqual([IDENTITY_FILE, KEY_FILE]);

    const again = await start(dir, token);
    const third = await start(dir);
    expect(platform.registerCalls).toBe(1);
    expect(again.identity).toEqual(first.identity);
    expect(third.publicKey).toBe(first.publicKey);
    expect(lines.some((l) => l.includes('ignoring --registration-token'))).toBe(true);
    expect(lines.join('')).not.toContain(token);
    expect(lines.join('')).not.toContain(first.identity.runner_token);
  });

  it('refuses a state directory or file that group or others can read', async () => {
    const dir = join(root, 'open');
    await mkdir(dir);
    await chmod(dir, 0o755);
    await expect(start(dir, platform.newRegistrationToken())).rejects.toThrow(
      /open to group or others.*chmod 700/,
    );
    expect(platform.registerCalls).toBe(0);

    const ok = join(root, 'ok');
    await start(ok, platform.newRegistrationToken());
    await chmod(join(ok, KEY_FILE), 0o644);
    await expect(start(ok)).rejects.toThrow(StateError);
  });

  it('refuses an identity bound to another platform', async () => {
    const dir = join(root, 'state');
    await start(dir, platform.newRegistrationToken());
    await expect(start(dir, undefined, 'https://other.example.com')).rejects.toThrow(
      /registered with http:\/\/127\.0\.0\.1:\d+, not https:\/\/other\.example\.com/,
    );
  });

  it('needs a registration token the first time', async () => {
    await expect(start(join(root, 'new'))).rejects.toThrow(/not registered yet/);
  });

  it('keeps the key of a refused registration and registers it on the next try', async () => {
    const dir = join(root, 'state');
    const refused = await start(dir, 'reg_not_a_valid_token_0000').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ApiProblem);
    expect((refused as ApiProblem).status).toBe(401);
    expect((refused as ApiProblem).message).not.toContain('reg_not_a_valid_token_0000');
    expect(await readdir(dir)).toEqual([KEY_FILE]);

    const state = await start(dir, platform.newRegistrationToken());
    expect([...platform.runners.values()][0]!.publicKey).toBe(state.publicKey);
    expect(platform.registerCalls).toBe(2);
  });
});
