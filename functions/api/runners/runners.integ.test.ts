import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../../../test/support/databases';
import { COMPOSE_FILE } from '../../../test/support/governance';
import { type Material, makeMaterial } from '../../../test/support/material';
import { createTestPlatform, type TestPlatform } from '../../../test/support/platform';
import {
  applyComposeRelease,
  createPool,
  registerRunner,
  showOnce,
  type TestRunner,
} from '../../../test/support/runners';

describe.each(await backends())('runner pools and the runner protocol on %s', (backend) => {
  let p: TestPlatform;
  let m: Material;
  let admin: string;
  let project: string;
  let other: string;
  let pool: string;
  let env: string;
  let host: string;
  let target: string;
  let service: string;
  let sshKey: { private_key: string; fingerprint: string };

  beforeAll(async () => {
    m = makeMaterial();
    p = await createTestPlatform(backend, { K8SM_JOB_LEASE_SECONDS: '30', K8SM_JOB_MAX_RECEIVES: '3' });
    admin = await p.adminToken();
    project = (await p.request('POST', '/projects', { token: admin, body: { name: 'shop' } })).json.id;
    other = (await p.request('POST', '/projects', { token: admin, body: { name: 'other' } })).json.id;
    pool = await createPool(p, admin, 'private-net', project);
    env = (
      await p.request('POST', '/environments', {
        token: admin,
        body: { project_id: project, name: 'dev', tier: 'development' },
      })
    ).json.id;
    sshKey = m.plainKey;
    const cred = await p.request('POST', '/credentials', {
      token: admin,
      body: {
        project_id: project,
        name: 'deploy',
        kind: 'ssh_private_key',
        payload: { private_key: sshKey.private_key },
      },
    });
    expect(cred.status, cred.text).toBe(201);
    const h = await p.request('POST', '/hosts', {
      token: admin,
      body: {
        project_id: project,
        name: 'h1',
        address: '127.0.0.1',
        port: 2222,
        username: 'deploy',
        credential_id: cred.json.id,
        runner_pool_id: pool,
      },
    });
    expect(h.status, h.text).toBe(201);
    host = h.json.id;
    const t = await p.request('POST', '/deploy/targets', {
      token: admin,
      body: {
        project_id: project,
        environment_id: env,
        name: 'dev-compose',
        runtime_type: 'compose',
        host_ids: [host],
        compose_project: 'web',
      },
    });
    expect(t.status, t.text).toBe(201);
    target = t.json.id;
    service = (
      await p.request('POST', '/services', {
        token: admin,
        body: { project_id: project, name: 'web', compose_file: COMPOSE_FILE, secret_variables: ['API_KEY'] },
      })
    ).json.id;
  });
  afterAll(async () => {
    await p.close();
    m.cleanup();
  });

  const applyRelease = () => applyComposeRelease(p, admin, service, target);
  const release = async (id: string) =>
    (await p.request('GET', `/deploy/releases/${id}`, { token: admin })).json;

  describe('pools and registration', () => {
    it('lets a project admin make a pool of the project but not a global one', async () => {
      const padmin = await p.userWithRole('admin', project);
      expect(
        (
          await p.request('POST', '/runner-pools', {
            token: padmin.token,
            body: { name: 'mine', project_id: project },
          })
        ).status,
      ).toBe(201);
      const global = await p.request('POST', '/runner-pools', { token: padmin.token, body: { name: 'all' } });
      expect(global.status).toBe(403);
      const list = await p.request('GET', '/runner-pools', { token: padmin.token });
      expect(list.json.items.every((x: { project_id: string | null }) => x.project_id === project)).toBe(
        true,
      );
    });

    it('registers once per token and refuses a used, unknown or expired one', async () => {
      const t = await showOnce(p, 'POST', `/runner-pools/${pool}/registration-tokens`, {
        token: admin,
        body: { expires_in_seconds: 60 },
      });
      const body = (name: string) => ({
        registration_token: t.json.token,
        name,
        public_key: 'A'.repeat(43),
        labels: {},
      });
      const first = await showOnce(p, 'POST', '/runner/register', { body: body('one') });
      expect(first.status, first.text).toBe(201);
      expect(first.json.runner_pool_id).toBe(pool);
      const again = await showOnce(p, 'POST', '/runner/register', { body: body('two') });
      expect(again.status).toBe(401);
      expect(again.json.error.fields[0].path).toBe('registration_token');
      const t2 = await showOnce(p, 'POST', `/runner-pools/${pool}/registration-tokens`, {
        token: admin,
        body: { expires_in_seconds: 60 },
      });
      p.clock.advance(61_000);
      const late = await showOnce(p, 'POST', '/runner/register', {
        body: { ...body('three'), registration_token: t2.json.token },
      });
      expect(late.status).toBe(401);
      const badKey = await showOnce(p, 'POST', '/runner/register', {
        body: { ...body('four'), public_key: 'not-a-key' },
      });
      expect(badKey.status).toBe(422);
      expect(badKey.json.error.fields[0].path).toBe('public_key');
    });

    it('refuses to bind a pool of another project', async () => {
      const theirs = await createPool(p, admin, 'theirs', other);
      const r = await p.request('PATCH', `/environments/${env}`, {
        token: admin,
        body: { runner_pool_id: theirs },
      });
      expect(r.status).toBe(422);
      expect(r.json.error.fields[0].path).toBe('runner_pool_id');
    });
  });

  describe('claims', () => {
    let r1: TestRunner;
    let r2: TestRunner;
    let outsider: TestRunner;
    beforeAll(async () => {
      r1 = await registerRunner(p, admin, pool, 'r1');
      r2 = await registerRunner(p, admin, pool, 'r2');
      outsider = await registerRunner(p, admin, await createPool(p, admin, 'elsewhere', other), 'x');
    });

    it('holds a job until the environment has a pool, then hands it over on binding', async () => {
      const rel = await applyRelease();
      expect(await r1.claim()).toBeNull();
      const bound = await p.request('PATCH', `/environments/${env}`, {
        token: admin,
        body: { runner_pool_id: pool },
      });
      expect(bound.status, bound.text).toBe(200);
      expect(await outsider.claim()).toBeNull();
      const c = await r1.claim();
      expect(c?.job.kind).toBe('release_apply');
      expect(c?.job.lease_token).toBe(1);
      expect((await release(rel.id)).lifecycle_state).toBe('applying');

      // The work order is sealed: the secret and the key are not in the response, only in the box.
      const text = JSON.stringify(c);
      expect(text).not.toContain(rel.secret);
      const order = r1.open(c!);
      if (order.kind !== 'release_apply') throw new Error('wrong kind');
      expect(order.rendered).toContain(rel.secret);
      expect(order.secret_values).toEqual([rel.secret]);
      expect(order.hosts[0]).toMatchObject({ id: host, port: 2222, host_key: null });
      expect(order.hosts[0]!.auth).toEqual({ kind: 'ssh_private_key', private_key: sshKey.private_key });
      // Another runner's key cannot open it, nor can the box be moved to another lease.
      expect(() => r2.open(c!)).toThrow(/authentication/);
      expect(() => r1.open({ ...c!, job: { ...c!.job, lease_token: 2 } })).toThrow(/authentication/);

      const step = (body: Record<string, unknown>) =>
        r1.call('POST', `/runner/jobs/${c!.job.id}/steps`, body);
      const base = { lease_token: 1, name: `ssh.connect.${host}`, attempt: 1, host_id: host };
      expect((await step({ ...base, status: 'running' })).json).toEqual({ recorded: true });
      expect((await step({ ...base, status: 'running' })).json).toEqual({ recorded: false });
      const fp = `SHA256:${'x'.repeat(43)}`;
      const done = await step({ ...base, status: 'succeeded', observed_host_key: fp });
      expect(done.json).toEqual({ recorded: true });
      const h = await p.request('GET', `/hosts/${host}`, { token: admin });
      expect(h.json.host_key_fingerprint).toBe(fp);
      const other = await step({
        ...base,
        name: 'x.y',
        status: 'running',
        observed_host_key: `SHA256:${'y'.repeat(43)}`,
      });
      expect(other.status).toBe(409);
      expect(other.json.error.code).toBe('HOST_KEY_MISMATCH');
      const stranger = await step({
        ...base,
        name: 'x.z',
        status: 'running',
        host_id: 'host_nope',
        observed_host_key: fp,
      });
      expect(stranger.status).toBe(422);

      const hb = await r1.call('POST', `/runner/jobs/${c!.job.id}/heartbeat`, { lease_token: 1 });
      expect(hb.status).toBe(200);
      const stale = await r1.call('POST', `/runner/jobs/${c!.job.id}/heartbeat`, { lease_token: 7 });
      expect(stale.status).toBe(409);
      expect(stale.json.error.code).toBe('LEASE_LOST');
      const byOther = await r2.call('POST', `/runner/jobs/${c!.job.id}/heartbeat`, { lease_token: 1 });
      expect(byOther.json.error.code).toBe('LEASE_LOST');

      const { lease_token: _, ...carried } = base;
      const complete = await r1.call('POST', `/runner/jobs/${c!.job.id}/complete`, {
        lease_token: 1,
        status: 'succeeded',
        diagnostics: { hosts: [{ host_id: host, compose: 'v1' }] },
        // Steps not delivered yet go with the completion; one refused for good is dropped, as alone.
        steps: [
          { ...carried, name: 'x.z', status: 'running', host_id: 'host_nope', observed_host_key: fp },
          { ...carried, name: 'compose.up', status: 'succeeded' },
        ],
      });
      expect(complete.status, complete.text).toBe(200);
      const applied = await release(rel.id);
      expect(applied.lifecycle_state).toBe('applied');
      const timeline = await p.request('GET', `/deploy/releases/${rel.id}/timeline`, { token: admin });
      const steps = timeline.json.items.filter((e: { action: string }) => e.action === 'job.step_recorded');
      expect(steps.length).toBe(3);
      const rows = await p.request('GET', `/deploy/releases/${rel.id}/steps`, { token: admin });
      expect(rows.json.items.map((r: { name: string }) => r.name)).toContain('compose.up');
      expect(rows.json.items.map((r: { name: string }) => r.name)).not.toContain('x.z');
      expect(steps.every((e: { source: string }) => e.source === 'runner')).toBe(true);
      const again = await r1.call('POST', `/runner/jobs/${c!.job.id}/complete`, {
        lease_token: 1,
        status: 'succeeded',
      });
      expect(again.json.error.code).toBe('LEASE_LOST');
    });

    it('lets another runner take over after the lease ran out and fences the first', async () => {
      const rel = await applyRelease();
      const c1 = await r1.claim();
      expect(c1?.job.payload.release_id).toBe(rel.id);
      p.clock.advance(31_000);
      const c2 = await r2.claim();
      expect(c2?.job.id).toBe(c1!.job.id);
      expect(c2?.job.lease_token).toBe(2);
      expect(c2?.job.attempt).toBe(2);
      const late = await r1.call('POST', `/runner/jobs/${c1!.job.id}/steps`, {
        lease_token: 1,
        name: 'compose.up',
        attempt: 1,
        status: 'running',
      });
      expect(late.json.error.code).toBe('LEASE_LOST');
      const lateDone = await r1.call('POST', `/runner/jobs/${c1!.job.id}/complete`, {
        lease_token: 1,
        status: 'succeeded',
        steps: [{ name: 'compose.up', attempt: 1, status: 'succeeded' }],
      });
      expect(lateDone.json.error.code).toBe('LEASE_LOST');
      const rows = await p.request('GET', `/deploy/releases/${rel.id}/steps`, { token: admin });
      expect(rows.json.items).toEqual([]);
      const done = await r2.call('POST', `/runner/jobs/${c2!.job.id}/complete`, {
        lease_token: 2,
        status: 'failed',
        error_code: 'IMAGE_PULL_FAILED',
        diagnostics: { stderr_tail: 'manifest unknown' },
      });
      expect(done.status).toBe(200);
      const failed = await release(rel.id);
      expect(failed.lifecycle_state).toBe('failed');
      expect(failed.diagnostics_json.error_code).toBe('IMAGE_PULL_FAILED');
    });

    it('dead-letters a job every runner lost', async () => {
      const rel = await applyRelease();
      for (let i = 0; i < 3; i++) {
        expect((await r1.claim())?.job.payload.release_id).toBe(rel.id);
        p.clock.advance(31_000);
      }
      expect(await r1.claim()).toBeNull();
      const r = await release(rel.id);
      expect(r.lifecycle_state).toBe('failed');
      expect(r.diagnostics_json.error_code).toBe('DEAD_LETTERED');
    });

    it('wakes a waiting long poll when a job is queued, and answers 204 when the wait runs out', async () => {
      const started = Date.now();
      expect(await r1.claim(1)).toBeNull();
      expect(Date.now() - started).toBeGreaterThanOrEqual(900);
      const waiting = r1.claim(10);
      await new Promise((r) => setTimeout(r, 200));
      const rel = await applyRelease();
      const c = await waiting;
      expect(c?.job.payload.release_id).toBe(rel.id);
      await r1.call('POST', `/runner/jobs/${c!.job.id}/complete`, {
        lease_token: c!.job.lease_token,
        status: 'succeeded',
      });
    });

    it('runs a host test on the host pool and records what the runner measured', async () => {
      const t = await p.request('POST', `/hosts/${host}/test-connection`, { token: admin, body: {} });
      expect(t.status, t.text).toBe(202);
      const c = await r1.claim();
      const order = r1.open(c!);
      expect(order.kind).toBe('host_test');
      await r1.call('POST', `/runner/jobs/${c!.job.id}/complete`, {
        lease_token: c!.job.lease_token,
        status: 'succeeded',
        result: {
          reachable: true,
          version: 'Linux 6.1 x86_64',
          latency_ms: 12,
          compose: { dialect: 'v2', version: 'Docker Compose version v2.29.0' },
        },
      });
      const h = await p.request('GET', `/hosts/${host}`, { token: admin });
      expect(h.json.last_test).toMatchObject({
        reachable: true,
        version: 'Linux 6.1 x86_64',
        latency_ms: 12,
      });
      // The compose found is kept on the host apart from the test, for the preview's checks.
      expect(h.json.last_test.compose).toBeUndefined();
      expect(h.json.compose).toMatchObject({
        dialect: 'v2',
        version: 'Docker Compose version v2.29.0',
        job_id: c!.job.id,
      });
    });

    it('gets one pool and one runner with the view of their lists, 404 for unknown or invisible ones', async () => {
      const get = (path: string, token: string) => p.request('GET', path, { token });
      const inProject = await p.userWithRole('viewer', project);
      const elsewhere = await p.userWithRole('viewer', other);
      const global = await createPool(p, admin, `global-${Math.random().toString(36).slice(2, 8)}`);

      const pl = await get(`/runner-pools/${pool}`, inProject.token);
      expect(pl.status, pl.text).toBe(200);
      const listed = (await get(`/runner-pools?project_id=${project}`, inProject.token)).json.items;
      // The single read is the list's view plus what only one pool at a time can afford to count.
      const { queue, online_runners, ...view } = pl.json;
      expect(listed).toContainEqual(view);
      expect(queue).toMatchObject({ queued: expect.any(Number), running: expect.any(Number) });
      expect(Array.isArray(online_runners)).toBe(true);
      expect((await get(`/runner-pools/${pool}`, elsewhere.token)).status).toBe(404);
      expect((await get(`/runner-pools/${global}`, elsewhere.token)).status).toBe(200);
      expect((await get('/runner-pools/rpl_nothing', admin)).status).toBe(404);

      const rn = await get(`/runners/${r2.id}`, inProject.token);
      expect(rn.status, rn.text).toBe(200);
      expect(rn.json).toMatchObject({ id: r2.id, runner_pool_id: pool });
      const all = (await get(`/runners?runner_pool_id=${pool}`, inProject.token)).json.items;
      expect(all).toContainEqual(rn.json);
      expect((await get(`/runners/${r2.id}`, elsewhere.token)).status).toBe(404);
      expect((await get(`/runners/${outsider.id}`, elsewhere.token)).status).toBe(200);
      expect((await get('/runners/run_nothing', admin)).status).toBe(404);
    });

    it('lists runners with online state and refuses revoked and rotated tokens', async () => {
      const list = await p.request('GET', `/runners?runner_pool_id=${pool}`, { token: admin });
      const mine = list.json.items.find((r: { id: string }) => r.id === r1.id);
      expect(mine).toMatchObject({ online: true, runner_pool_id: pool, labels: { zone: 'a' } });
      const rot = await showOnce(p, 'POST', `/runners/${r2.id}/rotate-token`, { token: admin });
      expect((await r2.call('POST', '/runner/jobs/claim', { wait_seconds: 0 })).status).toBe(401);
      const fresh = { ...r2, token: rot.json.runner_token };
      const ok = await p.request('POST', '/runner/jobs/claim', {
        token: fresh.token,
        body: { wait_seconds: 0 },
      });
      expect(ok.status).toBe(204);
      expect((await p.request('POST', `/runners/${r1.id}/revoke`, { token: admin })).status).toBe(200);
      expect((await r1.call('POST', '/runner/jobs/claim', { wait_seconds: 0 })).status).toBe(401);
      const viewer = await p.userWithRole('viewer', project);
      expect((await p.request('POST', `/runners/${r2.id}/revoke`, { token: viewer.token })).status).toBe(403);
    });
  });
});
