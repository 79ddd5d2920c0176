import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../../../test/support/databases';
import { type InstallFixture, installFixture } from '../../../test/support/installs';

describe.each(await backends())('cancelling install tasks on %s', (backend) => {
  let f: InstallFixture;
  beforeAll(async () => {
    f = await installFixture(backend, 4);
  });
  afterAll(() => f.close());

  const cancel = (envId: string, id: string, token = f.requester.token) =>
    f.p.request('POST', `/environments/${envId}/install/tasks/${id}/cancel`, { token });
  const install = async (envId: string, hostIds: string[]) => {
    const res = await f.install(envId, { runtime: 'compose', version: '24.0.5-test', host_ids: hostIds });
    expect(res.status, res.text).toBe(202);
    return res.json as { id: string; status: string; approval_ticket: string | null };
  };

  it('cancels a queued task: its job never reaches a runner and its hosts are free again', async () => {
    const [h0] = f.hosts as [string];
    const queued = await install(f.envs.dev, [h0]);
    expect(queued.status).toBe('queued');
    const busy = await f.install(f.envs.dev, { runtime: 'compose', version: '24.0.5-test', host_ids: [h0] });
    expect(busy.status).toBe(409);

    const res = await cancel(f.envs.dev, queued.id);
    expect(res.status, res.text).toBe(200);
    expect(res.json.status).toBe('cancelled');
    expect(await f.runner.claim()).toBeNull();
    const view = await f.task(f.envs.dev, queued.id);
    expect(view.status).toBe('cancelled');
    expect(view.finished_at).not.toBeNull();

    const again = await install(f.envs.dev, [h0]);
    expect(again.status).toBe('queued');
    expect((await f.claimFor(again.id)).job.payload.task_id).toBe(again.id);
    const audit = await f.p.request(
      'GET',
      `/audit/events?resource_type=install_task&resource_id=${queued.id}&action=install_task.cancelled`,
      { token: f.admin },
    );
    expect(audit.json.items).toHaveLength(1);
  });

  it('cancels a task waiting for approval and expires its ticket', async () => {
    const [, h1] = f.hosts as [string, string];
    const pending = await install(f.envs.prod, [h1]);
    expect(pending.status).toBe('pending_approval');
    const res = await cancel(f.envs.prod, pending.id);
    expect(res.status, res.text).toBe(200);
    expect(res.json.status).toBe('cancelled');
    const ticket = await f.p.request('GET', `/approvals/inbox/${pending.approval_ticket}`, {
      token: f.admin,
    });
    expect(ticket.json.status).toBe('expired');
    const late = await f.p.request('POST', `/approvals/inbox/${pending.approval_ticket}/decision`, {
      token: f.approver.token,
      body: { decision: 'approve' },
    });
    expect(late.status).toBe(409);
    expect((await f.task(f.envs.prod, pending.id)).status).toBe('cancelled');
  });

  it('refuses to cancel a task a runner claimed with 409', async () => {
    const [, , h2] = f.hosts as [string, string, string];
    const t = await install(f.envs.dev, [h2]);
    await f.claimFor(t.id);
    const res = await cancel(f.envs.dev, t.id);
    expect([res.status, res.json.error.code]).toEqual([409, 'ILLEGAL_TRANSITION']);
    expect((await f.task(f.envs.dev, t.id)).status).toBe('running');
  });

  it('refuses with 403 whoever neither asked for the task nor holds environment:install', async () => {
    const [, , , h3] = f.hosts as [string, string, string, string];
    const t = await install(f.envs.prod, [h3]);
    const deployer = await f.p.userWithRole('deployer', f.project);
    const res = await cancel(f.envs.prod, t.id, deployer.token);
    expect([res.status, res.json.error.code]).toEqual([403, 'FORBIDDEN']);
    expect((await f.task(f.envs.prod, t.id)).status).toBe('pending_approval');
    // An installer who did not ask for it may.
    const installer = await f.p.userWithRole('admin', f.project);
    expect((await cancel(f.envs.prod, t.id, installer.token)).status).toBe(200);
  });
});
