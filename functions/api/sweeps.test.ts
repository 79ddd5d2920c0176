import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeVars, governanceFixture } from '../../test/support/governance';
import { createTestPlatform, type TestPlatform } from '../../test/support/platform';
import { runSweeps } from './sweeps';

describe('sweeps', () => {
  let p: TestPlatform;
  let f: Awaited<ReturnType<typeof governanceFixture>>;
  beforeAll(async () => {
    p = await createTestPlatform('pglite');
    f = await governanceFixture(p, 'sweep');
    await p.request('PUT', `/projects/${f.project}/policy`, {
      token: f.admin,
      body: { preview_ttl_seconds: 1, ticket_ttl_seconds: 1 },
    });
  });
  afterAll(() => p.close());

  it('expires tickets and previews whose time passed, and anchors the chain', async () => {
    const deployer = await p.userWithRole('deployer', f.project);
    const preview = (target: string) =>
      p.request('POST', '/deploy/releases/preview', {
        token: deployer.token,
        body: { service_id: f.serviceId, target_id: target, variables: composeVars('s1') },
      });
    const waiting = await preview(f.targets.prodCompose);
    const applied = await p.request('POST', '/deploy/releases/apply', {
      token: deployer.token,
      body: { preview_ref: waiting.json.preview_ref },
    });
    const unused = await preview(f.targets.devCompose);
    expect(await runSweeps(p.deps)).toEqual({ tickets_expired: 0, previews_expired: 0, checkpoint: true });
    p.clock.advance(1500);
    // New events since the first anchor, but neither 100 of them nor 5 minutes: no checkpoint yet.
    expect(await runSweeps(p.deps)).toEqual({ tickets_expired: 1, previews_expired: 1, checkpoint: false });
    const state = async (id: string) =>
      (await p.request('GET', `/deploy/releases/${id}`, { token: f.admin })).json.lifecycle_state;
    expect(await state(waiting.json.id)).toBe('expired');
    expect(await state(unused.json.id)).toBe('expired');
    const ticket = await p.request('GET', `/approvals/inbox/${applied.json.approval_ticket}`, {
      token: f.admin,
    });
    expect(ticket.json.status).toBe('expired');
    p.clock.advance(5 * 60 * 1000);
    expect(await runSweeps(p.deps)).toEqual({ tickets_expired: 0, previews_expired: 0, checkpoint: true });
    expect(await runSweeps(p.deps)).toEqual({ tickets_expired: 0, previews_expired: 0, checkpoint: false });
    expect((await p.request('GET', '/audit/verify', { token: f.admin })).json.ok).toBe(true);
  });
});
