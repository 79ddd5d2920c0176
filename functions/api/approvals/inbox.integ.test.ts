import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../../../test/support/databases';
import { composeVars, governanceFixture } from '../../../test/support/governance';
import { createTestPlatform, type TestPlatform } from '../../../test/support/platform';

describe.each(await backends())('the approval inbox on %s', (backend) => {
  let p: TestPlatform;
  let f: Awaited<ReturnType<typeof governanceFixture>>;
  let deployer: { id: string; token: string };
  let approver: { id: string; token: string };
  const tickets: string[] = [];

  beforeAll(async () => {
    p = await createTestPlatform(backend);
    f = await governanceFixture(p, 'inbox');
    deployer = await p.userWithRole('deployer', f.project);
    approver = await p.userWithRole('approver', f.project);
    // Staging needs tickets too in this project: the policy is per project.
    await p.request('PUT', `/projects/${f.project}/policy`, {
      token: f.admin,
      body: { tickets: { staging: ['apply'] } },
    });
    for (const [token, target] of [
      [deployer.token, f.targets.prodCompose],
      [deployer.token, f.targets.stageCompose],
      [f.admin, f.targets.prodCompose],
    ] as const) {
      const pv = await p.request('POST', '/deploy/releases/preview', {
        token,
        body: { service_id: f.serviceId, target_id: target, variables: composeVars('i') },
      });
      const ap = await p.request('POST', '/deploy/releases/apply', {
        token,
        body: { preview_ref: pv.json.preview_ref },
      });
      expect(ap.json.lifecycle_state).toBe('pending_approval');
      tickets.push(ap.json.approval_ticket);
    }
  });
  afterAll(() => p.close());

  it('lists every pending ticket newest first, filtered by environment, risk and requester', async () => {
    const all = await p.request('GET', `/approvals/inbox?project_id=${f.project}&status=pending`, {
      token: approver.token,
    });
    expect(all.json.items.map((t: { id: string }) => t.id)).toEqual([...tickets].reverse());
    const stage = await p.request('GET', `/approvals/inbox?environment_id=${f.envs.stage}`, {
      token: approver.token,
    });
    expect(stage.json.items.map((t: { id: string }) => t.id)).toEqual([tickets[1]]);
    expect(stage.json.items[0]).toMatchObject({
      kind: 'release_apply',
      risk_level: 'medium',
      resource_type: 'release',
    });
    const mine = await p.request('GET', '/approvals/inbox?mine=true', { token: deployer.token });
    expect(mine.json.items.map((t: { id: string }) => t.id).sort()).toEqual([tickets[0], tickets[1]].sort());
    const high = await p.request('GET', '/approvals/inbox?risk_level=medium', { token: approver.token });
    expect(high.json.items).toHaveLength(1);
    const page1 = await p.request('GET', '/approvals/inbox?limit=2', { token: approver.token });
    const page2 = await p.request('GET', `/approvals/inbox?limit=2&cursor=${page1.json.next_cursor}`, {
      token: approver.token,
    });
    expect([...page1.json.items, ...page2.json.items].map((t: { id: string }) => t.id)).toEqual(
      [...tickets].reverse(),
    );
  });

  it('hides the inbox of other projects', async () => {
    const outsider = await p.userWithRole(
      'approver',
      (await p.request('POST', '/projects', { token: f.admin, body: { name: 'elsewhere' } })).json.id,
    );
    const res = await p.request('GET', '/approvals/inbox', { token: outsider.token });
    expect(res.json.items).toEqual([]);
    expect((await p.request('GET', `/approvals/inbox/${tickets[0]}`, { token: outsider.token })).status).toBe(
      403,
    );
  });

  it('shows as waiting for me exactly the pending tickets the caller may decide, paged in SQL', async () => {
    const ids = async (token: string, query = '') =>
      (
        await p.request('GET', `/approvals/inbox?awaiting_my_decision=true${query}`, { token })
      ).json.items.map((t: { id: string }) => t.id);
    expect(await ids(approver.token)).toEqual([...tickets].reverse());
    // The admin requested the newest one: deciding it would be self-approval.
    expect(await ids(f.admin)).toEqual([tickets[1], tickets[0]]);
    // A deployer holds neither decider permission.
    expect(await ids(deployer.token)).toEqual([]);
    // Pages stay whole: the filter is in the query, not on a page read before it.
    const page1 = await p.request('GET', '/approvals/inbox?awaiting_my_decision=true&limit=1', {
      token: f.admin,
    });
    expect(page1.json.items.map((t: { id: string }) => t.id)).toEqual([tickets[1]]);
    const page2 = await p.request(
      'GET',
      `/approvals/inbox?awaiting_my_decision=true&limit=1&cursor=${page1.json.next_cursor}`,
      { token: f.admin },
    );
    expect(page2.json.items.map((t: { id: string }) => t.id)).toEqual([tickets[0]]);
    expect(page2.json.next_cursor).toBeNull();

    // Whoever previewed a release does not decide its ticket either, even when another applied it.
    const pv = await p.request('POST', '/deploy/releases/preview', {
      token: f.admin,
      body: { service_id: f.serviceId, target_id: f.targets.stageCompose, variables: composeVars('w') },
    });
    const ap = await p.request('POST', '/deploy/releases/apply', {
      token: deployer.token,
      body: { preview_ref: pv.json.preview_ref },
    });
    expect(ap.status, ap.text).toBe(202);
    const previewedByAdmin = ap.json.approval_ticket as string;
    expect(await ids(approver.token)).toContain(previewedByAdmin);
    expect(await ids(f.admin)).not.toContain(previewedByAdmin);
    // Decided tickets wait for nobody.
    await p.request('POST', `/approvals/inbox/${previewedByAdmin}/decision`, {
      token: approver.token,
      body: { decision: 'reject' },
    });
    expect(await ids(approver.token)).not.toContain(previewedByAdmin);
  });

  it('decides a batch one ticket at a time and reports each outcome', async () => {
    const res = await p.request('POST', '/approvals/inbox/batch-decision', {
      token: f.admin,
      body: { ticket_ids: [tickets[0], tickets[2], 'tkt_missing'], decision: 'reject', comment: 'not today' },
    });
    expect(res.status).toBe(200);
    expect(res.json.results).toEqual([
      { ticket_id: tickets[0], outcome: 'rejected', error: null },
      {
        ticket_id: tickets[2],
        outcome: 'refused',
        error: { code: 'SELF_APPROVAL', message: expect.any(String) },
      },
      {
        ticket_id: 'tkt_missing',
        outcome: 'refused',
        error: { code: 'NOT_FOUND', message: expect.any(String) },
      },
    ]);
    const again = await p.request('POST', `/approvals/inbox/${tickets[0]}/decision`, {
      token: approver.token,
      body: { decision: 'approve' },
    });
    expect([again.status, again.json.error.code]).toEqual([409, 'TICKET_DECIDED']);
  });
});
