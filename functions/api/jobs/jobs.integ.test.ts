/**
 * SPEC §7.4: why a job waits, and what a release's steps printed. The reasons come from the job
 * and runner rows: a job whose environment has no pool, one whose pool has no runner online, and
 * jobs in line behind the one a busy runner holds, with their 1-based places.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../../../test/support/databases';
import { composeVars, governanceFixture } from '../../../test/support/governance';
import { registerSecret } from '../../../test/support/leak-guard';
import { createTestPlatform, type TestPlatform } from '../../../test/support/platform';
import { registerRunner, type TestRunner } from '../../../test/support/runners';
import { jobsOfResource } from './repo';

describe.each(await backends())('jobs and why they wait, on %s', (backend) => {
  let p: TestPlatform;
  let gov: Awaited<ReturnType<typeof governanceFixture>>;
  let admin: string;
  let runner: TestRunner;
  /** Job ids: held by the runner, in line first and second, and one without a pool. */
  const job = { held: '', first: '', second: '', noPool: '', unseen: '' };
  let heldRelease = '';
  let heldSecret = '';
  let leaseToken = 0;
  let hostId = '';

  const get = (path: string, token = admin) => p.request('GET', path, { token });

  async function apply(target: string, runtime: 'compose' | 'k8s' = 'compose') {
    const tag = `1.${Date.now() % 100000}`;
    const compose = composeVars(tag);
    const variables = runtime === 'compose' ? compose : { TAG: tag, REPLICAS: '1' };
    const pv = await p.request('POST', '/deploy/releases/preview', {
      token: admin,
      body: { service_id: gov.serviceId, target_id: target, variables },
    });
    expect(pv.status, pv.text).toBe(201);
    const ap = await p.request('POST', '/deploy/releases/apply', {
      token: admin,
      body: { preview_ref: pv.json.preview_ref },
    });
    expect(ap.status, ap.text).toBe(202);
    const [j] = await jobsOfResource(p.deps.database.db, 'release', pv.json.release_id);
    if (!j) throw new Error('no job');
    // Each job a second after the one before: the queue's order is the order of creation.
    p.clock.advance(1000);
    return { release: pv.json.release_id as string, job: j.id, secret: compose.API_KEY };
  }

  const created = async (path: string, body: Record<string, unknown>) => {
    const r = await p.request('POST', path, { token: admin, body });
    expect(r.status, r.text).toBe(201);
    return r.json.id as string;
  };

  /** A compose target in `environment` on a new host whose credential a work order can open. */
  async function composeTarget(environment: string, name: string) {
    const credential = await created('/credentials', {
      project_id: gov.project,
      name: `cred-${name}`,
      kind: 'ssh_password',
      payload: { password: registerSecret(`pw-${name}-${Math.random().toString(36).slice(2)}`) },
    });
    hostId = await created('/hosts', {
      project_id: gov.project,
      name: `host-${name}`,
      address: '10.0.0.5',
      port: 22,
      username: 'deploy',
      credential_id: credential,
    });
    return created('/deploy/targets', {
      project_id: gov.project,
      environment_id: environment,
      name,
      runtime_type: 'compose',
      host_ids: [hostId],
      compose_project: 'web',
    });
  }

  beforeAll(async () => {
    p = await createTestPlatform(backend);
    gov = await governanceFixture(p, 'jobs');
    admin = gov.admin;
    const qa = await created('/environments', { project_id: gov.project, name: 'qa', tier: 'development' });
    job.noPool = (await apply(await composeTarget(qa, 'qa-compose'))).job;
    // The pool has no runner yet.
    const unseen = await apply(await composeTarget(gov.envs.dev, 'dev-real'));
    job.unseen = unseen.job;
    heldSecret = unseen.secret;
  }, 120_000);
  afterAll(async () => {
    await p?.close();
  });

  it('says a job waits for a runner pool its environment does not have', async () => {
    const r = await get(`/jobs/${job.noPool}`);
    expect(r.status, r.text).toBe(200);
    expect(r.json).toMatchObject({ status: 'queued', runner_pool_id: null });
    expect(r.json.waiting_reason).toEqual({ reason: 'no_runner_pool' });
  });

  it('says a job waits because no runner of its pool is online', async () => {
    const r = await get(`/jobs/${job.unseen}`);
    expect(r.json.waiting_reason).toEqual({ reason: 'no_online_runner', runner_pool_id: gov.pool });
    const pool = await get(`/runner-pools/${gov.pool}`);
    expect(pool.json.queue).toMatchObject({ queued: 1, running: 0 });
    expect(pool.json.online_runners).toEqual([]);
  });

  it('places queued jobs in line behind the one the busy runner holds', async () => {
    runner = await registerRunner(p, admin, gov.pool, 'edge-1');
    const claimed = await runner.claim();
    expect(claimed?.job.id).toBe(job.unseen);
    leaseToken = claimed!.job.lease_token;
    job.held = job.unseen;
    const held = await get(`/jobs/${job.held}`);
    heldRelease = held.json.resource_id;
    expect(held.json).toMatchObject({ status: 'running', runner_id: runner.id, waiting_reason: null });

    const first = await apply(gov.targets.devK8s, 'k8s');
    const second = await apply(gov.targets.stageCompose);
    job.first = first.job;
    job.second = second.job;
    const a = await get(`/jobs/${job.first}`);
    const b = await get(`/jobs/${job.second}`);
    expect(a.json.waiting_reason).toEqual({ reason: 'queued', runner_pool_id: gov.pool, position: 1 });
    expect(b.json.waiting_reason).toEqual({ reason: 'queued', runner_pool_id: gov.pool, position: 2 });
    // The list says the same as the detail.
    const list = await get(`/jobs?runner_pool_id=${gov.pool}&status=queued`);
    expect(list.json.items.map((j: { id: string }) => j.id)).toEqual([job.second, job.first]);
    expect(list.json.items[0].waiting_reason.position).toBe(2);

    const pool = await get(`/runner-pools/${gov.pool}`);
    expect(pool.status, pool.text).toBe(200);
    expect(pool.json.queue).toEqual({
      queued: 2,
      running: 1,
      oldest_queued_at: a.json.created_at,
    });
    expect(pool.json.online_runners).toEqual([
      expect.objectContaining({ id: runner.id, online: true, current_jobs: [job.held] }),
    ]);
  });

  it('filters by project, pool, status and kind, and pages', async () => {
    const ids = async (q: string) =>
      (await get(`/jobs?${q}`)).json.items.map((j: { id: string }) => j.id) as string[];
    expect(await ids(`project_id=${gov.project}`)).toEqual([job.second, job.first, job.unseen, job.noPool]);
    expect(await ids('status=running')).toEqual([job.held]);
    expect(await ids(`runner_pool_id=${gov.pool}`)).toEqual([job.second, job.first, job.held]);
    expect(await ids('kind=release_apply')).toHaveLength(4);
    expect(await ids('kind=host_test')).toEqual([]);
    const page1 = await get('/jobs?limit=3');
    expect(page1.json.items).toHaveLength(3);
    const page2 = await get(`/jobs?limit=3&cursor=${page1.json.next_cursor}`);
    expect(page2.json.items.map((j: { id: string }) => j.id)).toEqual([job.noPool]);
    expect(page2.json.next_cursor).toBeNull();
    const bad = await get('/jobs?status=waiting');
    expect(bad.status).toBe(422);
    const noJob = await get('/jobs/job_nothere');
    expect(noJob.status).toBe(404);
  });

  it('shows nothing of a project to a viewer of another one', async () => {
    const other = await p.request('POST', '/projects', { token: admin, body: { name: 'elsewhere' } });
    const viewer = await p.userWithRole('viewer', other.json.id);
    const list = await get('/jobs', viewer.token);
    expect(list.status, list.text).toBe(200);
    expect(list.json.items).toEqual([]);
    expect((await get(`/jobs?project_id=${gov.project}`, viewer.token)).status).toBe(403);
    expect((await get(`/jobs/${job.first}`, viewer.token)).status).toBe(403);
    // A viewer of the project itself sees its jobs.
    const insider = await p.userWithRole('viewer', gov.project);
    expect((await get('/jobs', insider.token)).json.items).toHaveLength(4);
  });

  it("hides a release job from a runner reader who may not read the release's runtime", async () => {
    const role = await p.request('POST', '/roles', {
      token: admin,
      body: { name: 'runner-watcher', permissions: ['runner:read', 'deploy:compose:read'] },
    });
    expect(role.status, role.text).toBe(201);
    const watcher = await p.userWithRole('runner-watcher', gov.project);
    const seen = (await get('/jobs', watcher.token)).json.items.map((j: { id: string }) => j.id);
    // The k8s release's job is the one left out.
    expect(seen).toEqual([job.second, job.held, job.noPool]);
    const k8s = await get(`/jobs/${job.first}`, watcher.token);
    expect(k8s.status).toBe(403);
    expect(k8s.json.error.message).toContain('deploy:k8s:read');
  });

  it("lists a release's steps with their host and masked output", async () => {
    // A runner that masks nothing prints the release's secret variable.
    const step = await runner.call('POST', `/runner/jobs/${job.held}/steps`, {
      lease_token: leaseToken,
      name: 'compose.up',
      attempt: 1,
      status: 'failed',
      error_code: 'COMPOSE_FAILED',
      host_id: hostId,
      output: `pulling web\nAPI_KEY=${heldSecret}`,
    });
    expect(step.status, step.text).toBe(200);
    // A host the job does not run on is not shown as where a step ran.
    const elsewhere = await runner.call('POST', `/runner/jobs/${job.held}/steps`, {
      lease_token: leaseToken,
      name: 'compose.ps',
      attempt: 1,
      status: 'succeeded',
      host_id: 'host_elsewhere',
    });
    expect(elsewhere.status, elsewhere.text).toBe(200);

    const r = await get(`/deploy/releases/${heldRelease}/steps`);
    expect(r.status, r.text).toBe(200);
    expect(r.json.release_id).toBe(heldRelease);
    expect(r.json.items).toEqual([
      expect.objectContaining({
        job_id: job.held,
        name: 'compose.up',
        host_id: hostId,
        attempt: 1,
        status: 'failed',
        error_code: 'COMPOSE_FAILED',
        output: 'pulling web\nAPI_KEY=***',
      }),
      expect.objectContaining({ name: 'compose.ps', host_id: null, output: null }),
    ]);
    expect(r.json.items[0].finished_at).not.toBeNull();
    expect(r.text).not.toContain(heldSecret);
    const detail = await get(`/jobs/${job.held}`);
    expect(detail.json.steps).toEqual([
      expect.objectContaining({ name: 'compose.up', output: 'pulling web\nAPI_KEY=***' }),
      expect.objectContaining({ name: 'compose.ps' }),
    ]);
  });
});
