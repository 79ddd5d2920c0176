import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INSTALL_STEPS } from '../../../shared/install/work';
import { backends } from '../../../test/support/databases';
import { COMPOSE_FILE, composeVars } from '../../../test/support/governance';
import { type InstallFixture, installFixture } from '../../../test/support/installs';

describe.each(await backends())('install tasks on %s', (backend) => {
  let f: InstallFixture;
  beforeAll(async () => {
    f = await installFixture(backend, 6);
  });
  afterAll(() => f.close());

  const fields = (r: { json: any }) => r.json.error.fields.map((x: { path: string }) => x.path);
  const events = async (query: string) =>
    (await f.p.request('GET', `/audit/events?${query}&limit=200`, { token: f.admin })).json.items as any[];

  it('queues a development install, hands the runner the bundle and the hosts, and registers a compose target', async () => {
    const [h0, h1] = f.hosts as [string, string];
    const res = await f.install(f.envs.dev, {
      runtime: 'compose',
      version: '24.0.5-test',
      host_ids: [h0, h1],
    });
    expect(res.status, res.text).toBe(202);
    expect(res.json).toMatchObject({
      id: expect.stringMatching(/^itk_/),
      status: 'queued',
      action: 'install',
      approval_ticket: null,
      job_id: expect.stringMatching(/^job_/),
      options: { prefix: '/', parallelism: 5, lvs_vip: null, roles: null },
    });
    const id = res.json.id as string;

    const claim = await f.claimFor(id);
    const order = f.runner.open(claim);
    if (order.kind !== 'environment_install') throw new Error(order.kind);
    expect(order.install).toMatchObject({
      task_id: id,
      action: 'install',
      runtime: 'compose',
      host_ids: [h0, h1],
    });
    expect(order.bundle).toMatchObject({ runtime: 'compose', version: '24.0.5-test' });
    expect(order.hosts.map((h) => h.id)).toEqual([h0, h1]);
    expect(order.hosts[0]!.auth.kind).toBe('ssh_private_key');
    expect((await f.task(f.envs.dev, id)).status).toBe('running');

    // Half of h0's steps: a quarter of the task.
    for (const s of INSTALL_STEPS.slice(0, 4)) {
      await f.step(claim, s, h0, 'running');
      await f.step(claim, s, h0, s === 'verify' ? 'skipped' : 'succeeded', { output: `${s} done` });
    }
    await f.step(claim, 'configure', h0, 'running');
    const again = await f.step(claim, 'configure', h0, 'running');
    expect(again.json).toEqual({ recorded: false });
    const mid = await f.task(f.envs.dev, id);
    expect(mid.progress_percent).toBe(25);
    expect(mid.current_step).toBe(`install.configure.${h0}`);
    expect(mid.steps.map((s: { host_id: string }) => s.host_id)).toEqual([h0, h1]);
    expect(mid.steps[0].steps.slice(0, 6)).toMatchObject([
      { name: 'preflight', status: 'succeeded', attempt: 1, log_excerpt: 'preflight done', error_code: null },
      { name: 'upload', status: 'succeeded' },
      { name: 'verify', status: 'skipped' },
      { name: 'install', status: 'succeeded' },
      { name: 'configure', status: 'running', finished_at: null },
      { name: 'start', status: 'pending', attempt: 0 },
    ]);
    expect(
      mid.steps[1].steps.every(
        (s: { status: string; attempt: number }) => s.status === 'pending' && s.attempt === 0,
      ),
    ).toBe(true);

    const stepEvents = await events(`resource_type=environment&resource_id=${f.envs.dev}`);
    const mine = stepEvents.filter((e) => e.detail.task_id === id);
    // 4 started, 4 finished (one skipped), one more started: the repeated report wrote nothing.
    expect(mine.filter((e) => e.action === 'environment.install_step_started')).toHaveLength(5);
    expect(mine.filter((e) => e.action === 'environment.install_step_succeeded')).toHaveLength(4);
    expect(mine.find((e) => e.detail.skipped)).toMatchObject({
      detail: { task_id: id, host_id: h0, step: 'verify', attempt: 1, skipped: true },
    });

    await f.runAll(claim, [h0, h1]);
    await f.complete(claim, f.succeeded([h0, h1]));
    const done = await f.task(f.envs.dev, id);
    expect(done).toMatchObject({
      status: 'succeeded',
      progress_percent: 100,
      finished_at: expect.any(String),
    });
    expect(done.result.hosts.map((h: { host_id: string }) => h.host_id)).toEqual([h0, h1]);
    const target = await f.p.request('GET', `/deploy/targets/${done.registered.target_id}`, {
      token: f.admin,
    });
    expect(target.json).toMatchObject({
      name: 'compose-24-0-5-test',
      runtime_type: 'compose',
      environment_id: f.envs.dev,
      host_ids: [h0, h1],
      compose_project: 'app',
    });

    // The registered target is usable: a release previews against it.
    const service = await f.p.request('POST', '/services', {
      token: f.admin,
      body: {
        project_id: f.project,
        name: 'web',
        compose_file: COMPOSE_FILE,
        secret_variables: ['API_KEY'],
      },
    });
    const pv = await f.p.request('POST', '/deploy/releases/preview', {
      token: f.admin,
      body: { service_id: service.json.id, target_id: target.json.id, variables: composeVars('1.0') },
    });
    expect(pv.status, pv.text).toBe(201);
    expect(pv.json.runtime_type).toBe('compose');
  });

  it('refuses unknown bundles, foreign hosts and bad options with field paths', async () => {
    const [h2] = f.hosts.slice(2) as [string];
    const bad = await f.install(f.envs.dev, { runtime: 'compose', version: '9.9.9', host_ids: [h2] });
    expect(bad.status).toBe(422);
    expect(fields(bad)).toEqual(['version']);
    expect(bad.json.error.fields[0].message).toContain('24.0.5-test, 25.0.1-test');
    const foreign = await f.install(f.envs.dev, {
      runtime: 'compose',
      version: '24.0.5-test',
      host_ids: [h2, f.foreignHost, 'host_nope'],
    });
    expect(foreign.status).toBe(422);
    expect(fields(foreign)).toEqual(['host_ids[1]', 'host_ids[2]']);
    const options = await f.install(f.envs.dev, {
      runtime: 'compose',
      version: '24.0.5-test',
      host_ids: [h2],
      options: { parallelism: 0, prefix: '/opt/../etc', bogus: true },
    });
    expect(options.status).toBe(422);
    expect(fields(options).sort()).toEqual(['options.bogus', 'options.parallelism', 'options.prefix']);
    const [h3, h4] = f.hosts.slice(3) as [string, string];
    const k8s = (roles: Record<string, string>, runtime = 'k8s') =>
      f.install(f.envs.dev, {
        runtime,
        version: runtime === 'k8s' ? '1.29.0-test' : '24.0.5-test',
        host_ids: [h3, h4],
        options: { roles },
      });
    const noControlPlane = await k8s({ [h3]: 'worker', [h4]: 'worker' });
    expect(noControlPlane.status).toBe(422);
    expect(fields(noControlPlane)).toEqual(['options.roles']);
    const stranger = await k8s({ [h3]: 'control-plane', [h2]: 'worker' });
    expect(stranger.status).toBe(422);
    expect(fields(stranger)).toEqual([`options.roles.${h2}`]);
    const badRole = await k8s({ [h3]: 'master' });
    expect(badRole.status).toBe(422);
    expect(fields(badRole)).toEqual([`options.roles.${h3}`]);
    const composeRoles = await k8s({ [h3]: 'control-plane' }, 'compose');
    expect(composeRoles.status).toBe(422);
    expect(fields(composeRoles)).toEqual(['options.roles']);
    const list = await f.p.request('GET', `/environments/${f.envs.dev}/install/tasks`, { token: f.admin });
    expect(list.json.items).toHaveLength(1);
  });

  it('hands the runner the roles of a k8s install', async () => {
    const [, , , , h4, h5] = f.hosts as string[];
    const res = await f.install(f.envs.dev, {
      runtime: 'k8s',
      version: '1.29.0-test',
      host_ids: [h4!, h5!],
      options: { roles: { [h5!]: 'control-plane' } },
    });
    expect(res.status, res.text).toBe(202);
    expect(res.json.options.roles).toEqual({ [h5!]: 'control-plane' });
    const claim = await f.claimFor(res.json.id);
    const order = f.runner.open(claim);
    if (order.kind !== 'environment_install') throw new Error(order.kind);
    expect(order.install.options.roles).toEqual({ [h5!]: 'control-plane' });
    // Failed, so the hosts are free for the tests after this one.
    await f.complete(claim, { status: 'failed', error_code: 'PREFLIGHT_OS' });
  });

  it('answers 409 for a host busy with a queued task of the environment', async () => {
    const [, , h2, h3] = f.hosts as string[];
    const first = await f.install(f.envs.dev, { runtime: 'compose', version: '24.0.5-test', host_ids: [h2] });
    expect(first.status).toBe(202);
    const overlap = await f.install(f.envs.dev, {
      runtime: 'compose',
      version: '25.0.1-test',
      host_ids: [h3, h2],
    });
    expect(overlap.status).toBe(409);
    expect(fields(overlap)).toEqual(['host_ids[1]']);
    const claim = await f.claimFor(first.json.id);
    await f.complete(claim, { status: 'failed', error_code: 'PREFLIGHT_OS' });
    const free = await f.install(f.envs.dev, {
      runtime: 'compose',
      version: '25.0.1-test',
      host_ids: [h3, h2],
    });
    expect(free.status, free.text).toBe(202);
    await f.complete(await f.claimFor(free.json.id), { status: 'failed', error_code: 'PREFLIGHT_OS' });
  });

  it('holds a production install for a second person, then queues it', async () => {
    const [h4] = f.hosts.slice(4) as [string];
    const res = await f.install(f.envs.prod, { runtime: 'compose', version: '24.0.5-test', host_ids: [h4] });
    expect(res.status).toBe(202);
    expect(res.json).toMatchObject({
      status: 'pending_approval',
      job_id: null,
      approval_ticket: expect.stringMatching(/^tkt_/),
    });
    const ticket = res.json.approval_ticket as string;
    const inbox = await f.p.request('GET', `/approvals/inbox/${ticket}`, { token: f.approver.token });
    expect(inbox.json).toMatchObject({
      kind: 'install',
      resource_type: 'install_task',
      resource_id: res.json.id,
    });
    expect(inbox.json.subject.install_task).toMatchObject({
      id: res.json.id,
      runtime: 'compose',
      host_ids: [h4],
    });

    const decide = (token: string, decision = 'approve') =>
      f.p.request('POST', `/approvals/inbox/${ticket}/decision`, {
        token,
        body: { decision, comment: 'ok' },
      });
    const self = await decide(f.requester.token);
    expect(self.status).toBe(403);
    expect(self.json.error.code).toBe('SELF_APPROVAL');
    expect((await decide(f.approver.token)).status).toBe(200);
    const queued = await f.task(f.envs.prod, res.json.id);
    expect(queued).toMatchObject({ status: 'queued', job_id: expect.stringMatching(/^job_/) });
    const claim = await f.claimFor(res.json.id);
    expect(claim.job.kind).toBe('environment_install');
    await f.complete(claim, { status: 'failed', error_code: 'SSH_AUTH' });

    const other = await f.install(f.envs.prod, {
      runtime: 'compose',
      version: '24.0.5-test',
      host_ids: [h4],
    });
    await f.p.request('POST', `/approvals/inbox/${other.json.approval_ticket}/decision`, {
      token: f.approver.token,
      body: { decision: 'reject', comment: 'not now' },
    });
    expect((await f.task(f.envs.prod, other.json.id)).status).toBe('rejected');
  });
});
