import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { peerAvailable } from '../peers/require';
import { type SshPeer, startSshd } from '../peers/sshd';
import { seedSshHost } from '../support/ssh-host';
import type { Answer } from './server-process';
import { type Stack, startStack } from './stack';

/**
 * Drift (SPEC §7.4), as a user meets it: install the synthetic compose bundle on a real sshd host
 * through the API and the runner process, then ask for verify after leaving the files alone, after
 * editing one and after deleting another. What the runner reads is the host's real files.
 */
const available = peerAvailable(['sshd', 'ssh-keygen', 'sha256sum']);
const VERSION = '24.0.7-synth';

type DriftFile = { path: string; expected_sha256: string; actual_sha256: string | null; state: string };
type DriftHost = { host_id: string; drift: string | null; error_code: string | null; files: DriftFile[] };

describe.skipIf(!available)('install drift through the runner', { timeout: 240_000 }, () => {
  let sshd: SshPeer;
  let stack: Stack;
  let prefix: string;
  const ids = {} as Record<'project' | 'pool' | 'env' | 'host', string>;
  const api = (method: string, path: string, body?: unknown) => stack.api(method, path, body);

  async function until<T>(what: string, read: () => Promise<Answer>, done: (a: Answer) => T | undefined) {
    const deadline = Date.now() + 120_000;
    let a: Answer | undefined;
    while (Date.now() < deadline) {
      a = await read();
      const v = done(a);
      if (v !== undefined) return v;
      await new Promise((r) => setTimeout(r, 300));
    }
    throw new Error(
      `${what}: still ${a?.text} after 120 s\nrunner: ${stack.runners[0]?.stderr().slice(-3000)}`,
    );
  }

  const task = (id: string) =>
    until(
      `task ${id}`,
      () => api('GET', `/environments/${ids.env}/install/tasks/${id}`),
      (a) => (['succeeded', 'failed'].includes(a.json.status) ? a.json : undefined),
    );

  /** Asks for a verify and waits for its report. */
  async function verify(): Promise<{ job_id: string; status: string; hosts: DriftHost[] }> {
    const r = await api('POST', `/environments/${ids.env}/install/verify`);
    expect(r.status, r.text).toBe(202);
    expect(r.json.host_ids).toEqual([ids.host]);
    return until(
      `verify ${r.json.job_id}`,
      () => api('GET', `/environments/${ids.env}/install/verify/${r.json.job_id}`),
      (a) => (['succeeded', 'failed'].includes(a.json.status) ? a.json : undefined),
    );
  }

  /** The audit event a verify's result landed with. */
  async function verified(jobId: string) {
    const events = await api(
      'GET',
      `/audit/events?action=environment.install_verified&resource_id=${ids.env}`,
    );
    return events.json.items.find((e: { detail: { job_id: string } }) => e.detail.job_id === jobId);
  }

  beforeAll(async () => {
    sshd = await startSshd();
    stack = await startStack();
    prefix = stack.tmp('k8sm-drift-prefix-');
    const s = await seedSshHost(api, sshd, {
      project: 'infra',
      pool: 'dc1',
      host: 'bare-1',
      envs: { dev: 'development' },
    });
    Object.assign(ids, { project: s.project, pool: s.pool, host: s.host, env: s.envs.dev });
    await stack.startRunner(ids.pool);
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
    await sshd?.stop();
  }, 60_000);

  it('has nothing to verify before an install', async () => {
    const r = await api('POST', `/environments/${ids.env}/install/verify`);
    expect(r.status, r.text).toBe(409);
  });

  it('reports none right after the install, rendered templates included', async () => {
    const r = await api('POST', `/environments/${ids.env}/install`, {
      runtime: 'compose',
      version: VERSION,
      host_ids: [ids.host],
      options: { prefix },
    });
    expect(r.status, r.text).toBe(202);
    const done = await task(r.json.id);
    expect(done.status, JSON.stringify(done.result)).toBe('succeeded');

    const report = await verify();
    expect(report.status).toBe('succeeded');
    const [h] = report.hosts;
    expect(h).toMatchObject({ host_id: ids.host, drift: 'none', error_code: null });
    const paths = h!.files.map((f) => f.path);
    expect(paths).toContain('usr/local/bin/dockerd');
    expect(paths).toContain('etc/docker/daemon.json');
    expect(h!.files.every((f) => f.state === 'ok' && f.actual_sha256 === f.expected_sha256)).toBe(true);

    expect((await verified(report.job_id)).detail.hosts).toEqual([
      { host_id: ids.host, drift: 'none', error_code: null, files: [] },
    ]);
    const asked = await api(
      'GET',
      `/audit/events?action=environment.install_verify_requested&resource_id=${ids.env}`,
    );
    expect(asked.json.items.length).toBe(1);
  });

  it('names an edited file as changed', async () => {
    writeFileSync(join(prefix, 'etc/docker/daemon.json'), '{"debug": true}\n');
    const report = await verify();
    const [h] = report.hosts;
    expect(h!.drift).toBe('changed');
    const changed = h!.files.filter((f) => f.state !== 'ok');
    expect((await verified(report.job_id)).detail.hosts[0].files).toEqual(['etc/docker/daemon.json']);
    expect(changed).toHaveLength(1);
    expect(changed[0]).toMatchObject({ path: 'etc/docker/daemon.json', state: 'changed' });
    expect(changed[0]!.actual_sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(changed[0]!.actual_sha256).not.toBe(changed[0]!.expected_sha256);
  });

  it('names a deleted file as missing, which outranks changed', async () => {
    rmSync(join(prefix, 'usr/local/bin/docker'));
    const report = await verify();
    const [h] = report.hosts;
    expect(h!.drift).toBe('missing');
    const byPath = Object.fromEntries(h!.files.map((f) => [f.path, f]));
    expect(byPath['usr/local/bin/docker']).toMatchObject({ state: 'missing', actual_sha256: null });
    expect(byPath['etc/docker/daemon.json']!.state).toBe('changed');
    expect(h!.files.filter((f) => f.state === 'ok').length).toBe(h!.files.length - 2);
    expect((await verified(report.job_id)).detail.hosts[0]).toMatchObject({
      drift: 'missing',
      files: expect.arrayContaining(['usr/local/bin/docker', 'etc/docker/daemon.json']),
    });
  });

  it('forgets the fingerprint once the runtime is uninstalled', async () => {
    const r = await api('POST', `/environments/${ids.env}/uninstall`, { host_ids: [ids.host] });
    expect(r.status, r.text).toBe(202);
    const done = await task(r.json.id);
    expect(done.status, JSON.stringify(done.result)).toBe('succeeded');
    const again = await api('POST', `/environments/${ids.env}/install/verify`);
    expect(again.status, again.text).toBe(409);
  });
});
