import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../../../test/support/databases';
import { composeVars, governanceFixture } from '../../../test/support/governance';
import { createTestPlatform, type TestPlatform } from '../../../test/support/platform';
import { webhookReceiver } from '../../../test/support/webhook-receiver';
import { runSweeps } from '../sweeps';
import { deliverNotifications, MAX_TRIES, RETRY_DELAYS_MIN } from './deliveries';

type Receiver = Awaited<ReturnType<typeof webhookReceiver>>;

describe.each(await backends())('outbound notifications on %s', (backend) => {
  let p: TestPlatform;
  let admin: string;
  let receiver: Receiver;
  const defaultOutbound = () => ({ allowPrivate: true, allowCidrs: [] as string[] });

  const sweepNotifications = () =>
    deliverNotifications({
      db: p.deps.database.db,
      clock: p.clock,
      keys: p.deps.keys,
      outbound: p.deps.config.outbound,
      lookup: p.deps.outboundLookup,
    });
  const createEndpoint = async (project: string, url: string, events: string[]) => {
    const res = await p.request('POST', '/notifications/endpoints', {
      token: admin,
      body: { project_id: project, url, events },
    });
    expect(res.status, res.text).toBe(201);
    receiver.trust(res.json.secret);
    return res.json as { id: string; secret: string };
  };
  const newProject = async (name: string) =>
    (await p.request('POST', '/projects', { token: admin, body: { name } })).json.id as string;
  /**
   * A real release event (`release.previewed`) whose release holds a secret variable; the secret
   * is registered with the leak guard, which fails the file if it reaches a receiver.
   */
  const preview = async (fixture: Awaited<ReturnType<typeof governanceFixture>>, tag: string) => {
    const variables = composeVars(tag);
    const res = await p.request('POST', '/deploy/releases/preview', {
      token: admin,
      body: { service_id: fixture.serviceId, target_id: fixture.targets.devCompose, variables },
    });
    expect(res.status, res.text).toBe(201);
    return { id: res.json.id as string, secret: variables.API_KEY };
  };
  const deliveries = async (query: string) =>
    (await p.request('GET', `/notifications/deliveries?${query}&limit=200`, { token: admin })).json.items as {
      id: string;
      status: string;
      type: string;
      attempts: { http_status: number | null; error: string | null; at: string }[];
      next_attempt_at: string | null;
    }[];
  /** Makes every pending try due now, as if the wait had passed (the clock stays put for the signatures). */
  const makeDue = () =>
    p.deps.database.db.execute(
      `update notification_deliveries set next_attempt_at = '${p.clock.now().toISOString()}' where status = 'pending'`,
    );

  beforeAll(async () => {
    p = await createTestPlatform(backend);
    admin = await p.adminToken();
    receiver = await webhookReceiver();
  });
  afterAll(async () => {
    await receiver.stop();
    await p.close();
  });

  it('shows the signing secret once and never in reads or the audit stream', async () => {
    const project = await newProject('secret-once');
    const ep = await createEndpoint(project, receiver.url(), ['release.*', 'approval.approved']);
    expect(ep.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const got = await p.request('GET', `/notifications/endpoints/${ep.id}`, { token: admin });
    expect(got.json).toMatchObject({
      id: ep.id,
      project_id: project,
      events: ['release.*', 'approval.approved'],
    });
    expect(got.json).not.toHaveProperty('secret');
    const list = await p.request('GET', `/notifications/endpoints?project_id=${project}`, { token: admin });
    expect(list.json.items.map((e: { id: string }) => e.id)).toEqual([ep.id]);
    const rotated = await p.request('POST', `/notifications/endpoints/${ep.id}/rotate-secret`, {
      token: admin,
    });
    expect(rotated.status).toBe(200);
    expect(rotated.json.secret).not.toBe(ep.secret);
    const audit = await p.request('GET', `/audit/events?resource_id=${ep.id}&limit=50`, { token: admin });
    expect(audit.json.items.map((e: { action: string }) => e.action).sort()).toEqual([
      'notification_endpoint.created',
      'notification_endpoint.secret_rotated',
    ]);
    for (const text of [got.text, list.text, audit.text]) {
      expect(text).not.toContain(ep.secret);
      expect(text).not.toContain(rotated.json.secret);
    }
    const rows = await p.deps.database.db.execute(
      'select secret_envelope::text as e from notification_endpoints',
    );
    expect(JSON.stringify(rows)).not.toContain(ep.secret.slice(6));
  });

  it('refuses unknown events and forbidden addresses with the field at fault', async () => {
    const project = await newProject('refusals');
    const bad = await p.request('POST', '/notifications/endpoints', {
      token: admin,
      body: {
        project_id: project,
        url: receiver.url(),
        events: ['release.*', 'credential.revealed', 'deploy.*'],
      },
    });
    expect(bad.status).toBe(422);
    expect(bad.json.error.fields.map((f: { path: string }) => f.path)).toEqual(['events[1]', 'events[2]']);
    const metadata = await p.request('POST', '/notifications/endpoints', {
      token: admin,
      body: { project_id: project, url: 'http://169.254.169.254/latest/meta-data/', events: ['release.*'] },
    });
    expect(metadata.status).toBe(422);
    expect(metadata.json.error.fields[0].path).toBe('url');
    p.deps.outboundLookup = async (host) => [
      { address: host === 'meta.hooks.test' ? '169.254.169.254' : '127.0.0.1' },
    ];
    try {
      const named = await p.request('POST', '/notifications/endpoints', {
        token: admin,
        body: { project_id: project, url: 'http://meta.hooks.test/in', events: ['release.*'] },
      });
      expect(named.status).toBe(422);
      expect(named.json.error.fields).toEqual([
        { path: 'url', message: expect.stringContaining('resolves to 169.254.169.254') },
      ]);
    } finally {
      p.deps.outboundLookup = undefined;
    }
    const none = await p.request('GET', `/notifications/endpoints?project_id=${project}`, { token: admin });
    expect(none.json.items).toEqual([]);
  });

  it('with private ranges closed, refuses loopback unless an allowed range lists it', async () => {
    const project = await newProject('cloud');
    p.deps.config = { ...p.deps.config, outbound: { allowPrivate: false, allowCidrs: [] } };
    try {
      const refused = await p.request('POST', '/notifications/endpoints', {
        token: admin,
        body: { project_id: project, url: receiver.url(), events: ['release.*'] },
      });
      expect(refused.status).toBe(422);
      expect(refused.json.error.fields[0]).toMatchObject({
        path: 'url',
        message: expect.stringContaining('K8SM_NOTIFY_ALLOW_CIDRS'),
      });
      p.deps.config = { ...p.deps.config, outbound: { allowPrivate: false, allowCidrs: ['127.0.0.0/8'] } };
      await createEndpoint(project, receiver.url(), ['release.*']);
    } finally {
      p.deps.config = { ...p.deps.config, outbound: defaultOutbound() };
    }
  });

  it('delivers a matching release event signed, masked, once; nothing for other events or projects', async () => {
    const fixture = await governanceFixture(p, 'deliver');
    const elsewhere = await governanceFixture(p, 'elsewhere');
    const releases = await createEndpoint(fixture.project, receiver.url('/releases'), ['release.*']);
    const builds = await createEndpoint(fixture.project, receiver.url('/builds'), ['build.*', 'approval.*']);
    const before = receiver.received.length;
    const release = await preview(fixture, '1.0');
    await preview(elsewhere, '1.0');
    // Made by the sweep only: nothing has been sent by the request itself.
    expect(receiver.received.length).toBe(before);
    const sweep = await runSweeps(p.deps);
    expect(sweep.notifications).toMatchObject({ created: 1, succeeded: 1, failed: 0 });
    const got = receiver.received.slice(before);
    expect(got).toHaveLength(1);
    expect(got[0]!.verified).toBe(true);
    expect(got[0]!.body).toMatchObject({
      type: 'release.previewed',
      project_id: fixture.project,
      data: { action: 'release.previewed', resource_id: release.id, project_id: fixture.project },
    });
    expect(Object.keys(got[0]!.body).sort()).toEqual(['data', 'id', 'occurred_at', 'project_id', 'type']);
    expect(release.secret).toMatch(/^sk-live-/);
    expect(JSON.stringify(got[0]!.body)).not.toContain(release.secret);
    const [delivery] = await deliveries(`endpoint_id=${releases.id}`);
    expect(delivery).toMatchObject({ id: got[0]!.id, status: 'succeeded', next_attempt_at: null });
    expect(delivery!.attempts).toEqual([
      { at: expect.any(String), http_status: 204, error: null, response_excerpt: null },
    ]);
    expect(await deliveries(`endpoint_id=${builds.id}`)).toEqual([]);
    // A second sweep sends nothing again.
    expect((await runSweeps(p.deps)).notifications).toMatchObject({ created: 0, succeeded: 0 });
    expect(receiver.received.length).toBe(before + 1);
  });

  it('re-checks the address at each try: a name that now resolves to metadata fails the try', async () => {
    const fixture = await governanceFixture(p, 'rebind');
    let address = '127.0.0.1';
    p.deps.outboundLookup = async () => [{ address }];
    try {
      const ep = await createEndpoint(fixture.project, `http://hooks.test:${receiver.port}/in`, [
        'release.*',
      ]);
      address = '169.254.169.254';
      await preview(fixture, '2.0');
      const before = receiver.received.length;
      await sweepNotifications();
      const [d] = await deliveries(`endpoint_id=${ep.id}`);
      expect(d).toMatchObject({ status: 'pending' });
      expect(d!.attempts[0]).toMatchObject({
        http_status: null,
        error: expect.stringMatching(/^refused: .*169\.254\.169\.254/),
      });
      expect(receiver.received.length).toBe(before);
      // Back to a loopback answer, which the cloud rule refuses too.
      address = '127.0.0.1';
      p.deps.config = { ...p.deps.config, outbound: { allowPrivate: false, allowCidrs: [] } };
      await makeDue();
      await sweepNotifications();
      const [again] = await deliveries(`endpoint_id=${ep.id}`);
      expect(again!.attempts[1]!.error).toMatch(/^refused: .*loopback or private/);
      expect(receiver.received.length).toBe(before);
    } finally {
      p.deps.outboundLookup = undefined;
      p.deps.config = { ...p.deps.config, outbound: defaultOutbound() };
    }
  });

  it('fails a dead endpoint after its tries on the schedule; redelivered once it is back, it succeeds once', async () => {
    const fixture = await governanceFixture(p, 'dead');
    const dead = await webhookReceiver();
    const ep = await createEndpoint(fixture.project, dead.url(), ['release.previewed']);
    dead.trust(ep.secret);
    await dead.stop();
    await preview(fixture, '3.0');
    for (let i = 0; i < MAX_TRIES + 2; i++) {
      await sweepNotifications();
      await makeDue();
    }
    const [d] = await deliveries(`endpoint_id=${ep.id}`);
    expect(d!.status).toBe('failed');
    expect(d!.attempts).toHaveLength(MAX_TRIES);
    for (const a of d!.attempts)
      expect(a).toMatchObject({ http_status: null, error: expect.stringContaining('ECONNREFUSED') });
    expect((await deliveries(`project_id=${fixture.project}&status=failed`)).map((x) => x.id)).toEqual([
      d!.id,
    ]);
    expect(await deliveries(`project_id=${fixture.project}&status=pending`)).toEqual([]);

    await dead.start();
    try {
      const res = await p.request('POST', `/notifications/deliveries/${d!.id}/redeliver`, { token: admin });
      expect(res.status, res.text).toBe(200);
      expect(res.json).toMatchObject({ status: 'pending', attempts: expect.any(Array) });
      const twice = await p.request('POST', `/notifications/deliveries/${d!.id}/redeliver`, { token: admin });
      expect(twice.status).toBe(409);
      await runSweeps(p.deps);
      await runSweeps(p.deps);
      expect(dead.received.filter((r) => r.id === d!.id && r.verified)).toHaveLength(1);
      const after = await p.request('GET', `/notifications/deliveries/${d!.id}`, { token: admin });
      expect(after.json.status).toBe('succeeded');
      expect(after.json.attempts).toHaveLength(MAX_TRIES + 1);
      const audit = await p.request('GET', `/audit/events?resource_id=${d!.id}`, { token: admin });
      expect(audit.json.items.map((e: { action: string }) => e.action)).toEqual([
        'notification_delivery.redelivered',
      ]);
    } finally {
      await dead.stop();
    }
  });

  it('waits 1, 5, 10, 15 and 30 minutes between tries', async () => {
    const fixture = await governanceFixture(p, 'schedule');
    const ep = await createEndpoint(fixture.project, receiver.url(), ['release.*']);
    receiver.answer(503);
    try {
      await preview(fixture, '4.0');
      const gaps: number[] = [];
      for (let i = 0; i < MAX_TRIES; i++) {
        await sweepNotifications();
        const [d] = await deliveries(`endpoint_id=${ep.id}`);
        expect(d!.attempts.at(-1)).toMatchObject({ http_status: 503, error: 'answered 503' });
        if (d!.next_attempt_at)
          gaps.push((Date.parse(d!.next_attempt_at) - Date.parse(d!.attempts.at(-1)!.at)) / 60_000);
        await makeDue();
      }
      expect(gaps).toEqual([...RETRY_DELAYS_MIN]);
      expect((await deliveries(`endpoint_id=${ep.id}`))[0]!.status).toBe('failed');
    } finally {
      receiver.answer(204);
    }
  });

  it('edits and deletes endpoints, audited; a deleted one gets nothing more', async () => {
    const fixture = await governanceFixture(p, 'edit');
    const ep = await createEndpoint(fixture.project, receiver.url(), ['approval.*']);
    const patched = await p.request('PATCH', `/notifications/endpoints/${ep.id}`, {
      token: admin,
      body: { events: ['release.previewed'] },
    });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.json.events).toEqual(['release.previewed']);
    const badUrl = await p.request('PATCH', `/notifications/endpoints/${ep.id}`, {
      token: admin,
      body: { url: 'http://169.254.169.254/' },
    });
    expect(badUrl.status).toBe(422);
    // One delivery still trying when the endpoint goes: its next try ends it.
    receiver.answer(503);
    try {
      await preview(fixture, '5.0');
      await sweepNotifications();
    } finally {
      receiver.answer(204);
    }
    const del = await p.request('DELETE', `/notifications/endpoints/${ep.id}`, { token: admin });
    expect(del.status).toBe(204);
    expect((await p.request('GET', `/notifications/endpoints/${ep.id}`, { token: admin })).status).toBe(404);
    await preview(fixture, '5.1');
    await makeDue();
    const before = receiver.received.length;
    await sweepNotifications();
    expect(receiver.received.length).toBe(before);
    const [ended, ...more] = await deliveries(`endpoint_id=${ep.id}`);
    expect(more).toEqual([]);
    expect(ended).toMatchObject({ status: 'failed' });
    expect(ended!.attempts.map((a) => a.error)).toEqual(['answered 503', 'the endpoint was deleted']);
    const audit = await p.request('GET', `/audit/events?resource_id=${ep.id}`, { token: admin });
    expect(audit.json.items.map((e: { action: string }) => e.action)).toEqual([
      'notification_endpoint.created',
      'notification_endpoint.updated',
      'notification_endpoint.deleted',
    ]);
  });
});
