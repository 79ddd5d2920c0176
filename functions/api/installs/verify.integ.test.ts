import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClaimedJob } from '../../../shared/jobs/claim';
import { backends } from '../../../test/support/databases';
import { type InstallFixture, installFixture } from '../../../test/support/installs';

const sha = (c: string) => c.repeat(64);
const FILES = { 'usr/local/bin/composed': sha('a'), 'etc/docker/daemon.json': sha('b') };
const fingerprint = (version = '24.0.5-test') => ({ runtime: 'compose', version, files: FILES });

/**
 * The platform's half of drift (SPEC §7.4) with a scripted runner: which install outcomes leave a
 * fingerprint, what a verify job carries, and how the runner's readings become the report. The
 * runner's half, against real hosts, is runner/install/verify.integ.test.ts and
 * test/e2e/install-drift.test.ts.
 */
describe.each(await backends())('install drift on %s', (backend) => {
  let f: InstallFixture;
  let h0: string;
  let h1: string;
  let h2: string;
  let installJob: string;
  beforeAll(async () => {
    f = await installFixture(backend, 3);
    [h0, h1, h2] = f.hosts as [string, string, string];
  });
  afterAll(() => f.close());

  const verify = (envId = f.envs.dev, token = f.requester.token) =>
    f.p.request('POST', `/environments/${envId}/install/verify`, { token });
  const report = (jobId: string, envId = f.envs.dev) =>
    f.p.request('GET', `/environments/${envId}/install/verify/${jobId}`, { token: f.requester.token });
  const events = async (action: string) =>
    (await f.p.request('GET', `/audit/events?action=${action}&limit=200`, { token: f.admin })).json
      .items as any[];

  async function claimVerify(jobId: string): Promise<ClaimedJob> {
    for (let i = 0; i < 20; i++) {
      const c = await f.runner.claim();
      if (!c) break;
      if (c.job.id === jobId) return c;
      await f.complete(c, { status: 'failed', error_code: 'APPLY_FAILED' });
    }
    throw new Error(`no claim for ${jobId}`);
  }

  it('has nothing to verify before an install: 409', async () => {
    const r = await verify();
    expect(r.status, r.text).toBe(409);
    expect(r.json.error.code).toBe('CONFLICT');
  });

  it('keeps the fingerprint of each host the install succeeded on, for the task version only', async () => {
    const res = await f.install(f.envs.dev, {
      runtime: 'compose',
      version: '24.0.5-test',
      host_ids: [h0, h1, h2],
    });
    expect(res.status, res.text).toBe(202);
    const c = await f.claimFor(res.json.id);
    installJob = c.job.id;
    await f.complete(c, {
      status: 'succeeded',
      result: {
        hosts: [
          { host_id: h0, status: 'succeeded', fingerprint: fingerprint() },
          // Not what the task asked for: not kept.
          { host_id: h1, status: 'succeeded', fingerprint: fingerprint('25.0.1-test') },
          { host_id: h2, status: 'failed', error_code: 'COMMAND_FAILED', fingerprint: fingerprint() },
        ],
      },
    });
    const r = await verify();
    expect(r.status, r.text).toBe(202);
    expect(r.json).toEqual({ job_id: expect.stringMatching(/^job_/), status: 'queued', host_ids: [h0] });
    const asked = (await events('environment.install_verify_requested')).find(
      (e) => e.detail.job_id === r.json.job_id,
    );
    expect(asked).toMatchObject({ resource_id: f.envs.dev, detail: { host_ids: [h0] } });
  });

  it('refuses a caller without environment:install, before anything is queued', async () => {
    const viewer = await f.p.userWithRole('viewer', f.project);
    expect((await verify(f.envs.dev, viewer.token)).status).toBe(403);
  });

  it('reports nothing while queued, then per file what the runner read', async () => {
    const r = await verify();
    const jobId = r.json.job_id as string;
    const queued = await report(jobId);
    expect(queued.status, queued.text).toBe(200);
    expect(queued.json).toMatchObject({ job_id: jobId, status: 'queued', finished_at: null });
    expect(queued.json.hosts).toEqual([
      expect.objectContaining({ host_id: h0, drift: null, error_code: null }),
    ]);

    const c = await claimVerify(jobId);
    const order = f.runner.open(c);
    if (order.kind !== 'install_verify') throw new Error(order.kind);
    expect(order.verify.hosts).toEqual([{ host_id: h0, prefix: '/', fingerprint: fingerprint() }]);
    expect(order.hosts.map((h) => h.id)).toEqual([h0]);
    await f.complete(c, {
      status: 'succeeded',
      result: {
        hosts: [
          {
            host_id: h0,
            status: 'succeeded',
            actual: { 'usr/local/bin/composed': sha('a'), 'etc/docker/daemon.json': sha('c') },
          },
        ],
      },
    });
    const done = (await report(jobId)).json;
    expect(done.status).toBe('succeeded');
    expect(done.hosts).toEqual([
      {
        host_id: h0,
        runtime: 'compose',
        version: '24.0.5-test',
        prefix: '/',
        drift: 'changed',
        error_code: null,
        files: [
          {
            path: 'etc/docker/daemon.json',
            expected_sha256: sha('b'),
            actual_sha256: sha('c'),
            state: 'changed',
          },
          { path: 'usr/local/bin/composed', expected_sha256: sha('a'), actual_sha256: sha('a'), state: 'ok' },
        ],
      },
    ]);
    const landed = (await events('environment.install_verified')).find((e) => e.detail.job_id === jobId);
    expect(landed).toMatchObject({
      status: 'succeeded',
      detail: {
        hosts: [{ host_id: h0, drift: 'changed', error_code: null, files: ['etc/docker/daemon.json'] }],
      },
    });
  });

  it('a file the runner did not find is missing; a host it could not read has no drift and says why', async () => {
    const missing = (await verify()).json.job_id as string;
    let c = await claimVerify(missing);
    await f.complete(c, {
      status: 'succeeded',
      result: {
        hosts: [{ host_id: h0, status: 'succeeded', actual: { 'usr/local/bin/composed': sha('a') } }],
      },
    });
    const m = (await report(missing)).json.hosts[0];
    expect(m.drift).toBe('missing');
    expect(m.files[0]).toMatchObject({
      path: 'etc/docker/daemon.json',
      actual_sha256: null,
      state: 'missing',
    });

    const unread = (await verify()).json.job_id as string;
    c = await claimVerify(unread);
    await f.complete(c, {
      status: 'failed',
      error_code: 'SSH_CONNECT',
      result: { hosts: [{ host_id: h0, status: 'failed', error_code: 'SSH_CONNECT' }] },
    });
    const u = (await report(unread)).json;
    expect(u.status).toBe('failed');
    expect(u.hosts[0]).toMatchObject({ drift: null, error_code: 'SSH_CONNECT' });
    expect(u.hosts[0].files.every((x: { state: unknown }) => x.state === null)).toBe(true);
  });

  it('answers 404 for a job that is not a verify of this environment', async () => {
    expect((await report(installJob)).status).toBe(404);
    const jobId = (await verify()).json.job_id as string;
    expect((await report(jobId, f.envs.prod)).status).toBe(404);
  });

  it('forgets a host once an uninstall succeeds on it', async () => {
    const res = await f.p.request('POST', `/environments/${f.envs.dev}/uninstall`, {
      token: f.requester.token,
      body: { host_ids: [h0], runtime: 'compose', version: '24.0.5-test' },
    });
    expect(res.status, res.text).toBe(202);
    const c = await f.claimFor(res.json.id);
    await f.complete(c, f.succeeded([h0]));
    expect((await verify()).status).toBe(409);
  });
});
