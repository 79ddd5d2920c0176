// biome-ignore-all lint/suspicious/noTemplateCurlyInString: image templates with ${VAR} placeholders
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sign as githubSign } from '@octokit/webhooks-methods';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { backends } from '../../../test/support/databases';
import { createTestPlatform, type TestPlatform } from '../../../test/support/platform';
import { migrateDown, migrateUp } from '../../platform/db/migrate';
import { runSweeps } from '../sweeps';

type Seen = {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
};

/** Stands in for GitHub's, GitLab's and Jenkins' APIs on loopback, answering `answer`. */
async function providerApi() {
  const seen: Seen[] = [];
  const state = { answer: 204 };
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      seen.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body });
      res.writeHead(state.answer).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { seen, state, origin, close: () => new Promise((r) => server.close(r)) };
}

const TOKEN = 'ghp_trigger-token-0123456789abcdef';

describe.each(await backends())('CI triggers on %s', (backend) => {
  let p: TestPlatform;
  let admin: string;
  let project: string;
  let service: string;
  let api: Awaited<ReturnType<typeof providerApi>>;
  let credential: string;

  const pipeline = async (over: Record<string, unknown> = {}) => {
    const res = await p.request('POST', '/ci/pipelines', {
      token: admin,
      body: {
        project_id: project,
        service_id: service,
        provider: 'github_actions',
        repository: 'octo-org/web',
        branch_filter: 'main',
        trigger: 'manual',
        image: 'registry.internal/web:${SHORT_SHA}',
        provider_api_url: api.origin,
        provider_job: 'deploy.yml',
        provider_credential_id: credential,
        ...over,
      },
    });
    return res;
  };
  const created = async (over: Record<string, unknown> = {}) => {
    const res = await pipeline(over);
    expect(res.status, res.text).toBe(201);
    return res.json as { id: string; webhook_secret: string; next_fire_at: string | null };
  };
  const trigger = (id: string, body: Record<string, unknown> = {}) =>
    p.request('POST', `/ci/pipelines/${id}/trigger`, { token: admin, body });
  const importCredential = (name: string, kind: string, payload: Record<string, unknown>) =>
    p.request('POST', '/credentials', { token: admin, body: { project_id: project, name, kind, payload } });
  /** The test's clock moves by hours: a fresh sign-in keeps the admin's token valid at the new time. */
  const at = async (d: Date) => {
    p.clock.set(d);
    admin = await p.adminToken();
  };
  const fields = (res: { json: { error: { fields: { path: string }[] } } }) =>
    res.json.error.fields.map((f) => f.path).sort();

  beforeAll(async () => {
    api = await providerApi();
    p = await createTestPlatform(backend);
    admin = await p.adminToken();
    project = (await p.request('POST', '/projects', { token: admin, body: { name: 'trig' } })).json.id;
    service = (
      await p.request('POST', '/services', {
        token: admin,
        body: { project_id: project, name: 'web', compose_file: 'services:\n  web:\n    image: ${IMAGE}\n' },
      })
    ).json.id;
    const res = await importCredential('gh', 'ci_provider', { token: TOKEN, api_origin: api.origin });
    expect(res.status, res.text).toBe(201);
    credential = res.json.id;
  });
  afterAll(async () => {
    await p.close();
    await api.close();
  });
  beforeEach(() => {
    api.seen.length = 0;
    api.state.answer = 204;
    p.deps.config.outbound = { allowPrivate: true, allowCidrs: [] };
  });

  it('imports a ci_provider token like any credential: validated per field, sealed, never shown', async () => {
    const again = await importCredential('gh2', 'ci_provider', { token: TOKEN, api_origin: api.origin });
    expect(again.json).toMatchObject({ kind: 'ci_provider', metadata: { api_origin: api.origin } });
    expect(again.text).not.toContain(TOKEN);
    const bad = await importCredential('bad', 'ci_provider', {
      token: 'has a space',
      api_origin: 'https://api.github.com/repos',
    });
    expect(bad.status).toBe(422);
    expect(fields(bad)).toEqual(['payload.api_origin', 'payload.token']);
    const missing = await importCredential('bad2', 'ci_provider', { token: TOKEN });
    expect(fields(missing)).toEqual(['payload.api_origin']);
  });

  it('names the token only where provider_api_url has exactly its origin, and only of kind ci_provider', async () => {
    const elsewhere = await pipeline({ provider_api_url: 'http://127.0.0.2:9' });
    expect(elsewhere.status).toBe(422);
    expect(elsewhere.json.error.fields).toEqual([
      { path: 'provider_api_url', message: "must have exactly the provider credential's api_origin" },
    ]);
    const plain = await importCredential('plain', 'token', { token: TOKEN });
    const wrongKind = await pipeline({ provider_credential_id: plain.json.id });
    expect(wrongKind.json.error.fields).toEqual([
      { path: 'provider_credential_id', message: 'must be a credential of kind ci_provider' },
    ]);
    const pip = await created();
    const moved = await p.request('PATCH', `/ci/pipelines/${pip.id}`, {
      token: admin,
      body: { provider_api_url: 'http://127.0.0.2:9' },
    });
    expect(fields(moved)).toEqual(['provider_api_url']);
  });

  it('keeps a token a pipeline names from being deleted (409 IN_USE), until the pipeline lets go', async () => {
    const own = await importCredential('held', 'ci_provider', { token: TOKEN, api_origin: api.origin });
    const pip = await created({ provider_credential_id: own.json.id });
    const held = await p.request('DELETE', `/credentials/${own.json.id}`, { token: admin });
    expect(held.status).toBe(409);
    expect(held.json.error.message).toContain('1 CI pipeline(s)');
    await p.request('DELETE', `/ci/pipelines/${pip.id}`, { token: admin });
    expect((await p.request('DELETE', `/credentials/${own.json.id}`, { token: admin })).status).toBe(204);
  });

  it('dispatches the GitHub workflow with the token and the branch as ref, and records the attempt', async () => {
    const pip = await created();
    const res = await trigger(pip.id);
    expect(res.status, res.text).toBe(202);
    expect(res.json).toMatchObject({ source: 'manual', status: 'succeeded', http_status: 204, ref: 'main' });
    expect(api.seen).toHaveLength(1);
    const [call] = api.seen;
    expect(call).toMatchObject({
      method: 'POST',
      path: '/repos/octo-org/web/actions/workflows/deploy.yml/dispatches',
      body: JSON.stringify({ ref: 'main' }),
    });
    expect(call?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(call?.headers.host).toBe(new URL(api.origin).host);
    const other = await trigger(pip.id, { ref: 'release/1.2' });
    expect(JSON.parse(api.seen[1]?.body ?? '')).toEqual({ ref: 'release/1.2' });
    const list = await p.request('GET', `/ci/pipelines/${pip.id}/triggers`, { token: admin });
    expect(list.json.items.map((a: { id: string }) => a.id)).toEqual([other.json.id, res.json.id]);
    const audit = await p.request('GET', `/audit/events?resource_id=${pip.id}&limit=50`, { token: admin });
    const triggered = audit.json.items.filter((e: { action: string }) => e.action === 'pipeline.triggered');
    expect(triggered).toHaveLength(2);
    expect(triggered[0].detail).toMatchObject({ outcome: 'succeeded', api_origin: api.origin });
    for (const text of [res.text, list.text, audit.text]) expect(text).not.toContain(TOKEN);
  });

  it("creates a GitLab project's pipeline and posts to a Jenkins job, each with its own auth", async () => {
    const gitlab = await created({
      provider: 'gitlab_ci',
      provider_api_url: `${api.origin}/api/v4`,
      provider_job: 'group/web',
    });
    expect((await trigger(gitlab.id)).json.status).toBe('succeeded');
    expect(api.seen[0]).toMatchObject({
      method: 'POST',
      path: '/api/v4/projects/group%2Fweb/pipeline',
      body: JSON.stringify({ ref: 'main' }),
    });
    expect(api.seen[0]?.headers['private-token']).toBe(TOKEN);

    const jenkinsToken = 'deployer:11aa22bb33cc44dd55ee';
    const jc = await importCredential('jenkins', 'ci_provider', {
      token: jenkinsToken,
      api_origin: api.origin,
    });
    const jenkins = await created({
      provider: 'jenkins',
      provider_job: 'job/web/build',
      provider_credential_id: jc.json.id,
    });
    expect((await trigger(jenkins.id)).json.status).toBe('succeeded');
    expect(api.seen[1]).toMatchObject({ method: 'POST', path: '/job/web/build' });
    expect(api.seen[1]?.headers.authorization).toBe(`Basic ${Buffer.from(jenkinsToken).toString('base64')}`);
    const offOrigin = await pipeline({ provider: 'jenkins', provider_job: 'http://127.0.0.2:9/job/x' });
    expect(fields(offOrigin)).toEqual(['provider_job']);
  });

  it('records the intent only where no API and token are set, and a failed answer as failed', async () => {
    const quiet = await created({ provider_api_url: null, provider_credential_id: null, provider_job: null });
    expect((await trigger(quiet.id)).json).toMatchObject({ status: 'recorded', http_status: null });
    expect(api.seen).toEqual([]);
    api.state.answer = 422;
    const pip = await created();
    expect((await trigger(pip.id)).json).toMatchObject({
      status: 'failed',
      http_status: 422,
      error: 'the provider answered 422',
    });
    const wildcard = await created({ branch_filter: 'release/*' });
    const noRef = await trigger(wildcard.id);
    expect(noRef.status).toBe(422);
    expect(fields(noRef)).toEqual(['ref']);
  });

  it('refuses metadata addresses always, and loopback in the cloud unless listed, on save and before each call', async () => {
    const metadata = await pipeline({
      provider_api_url: 'http://169.254.169.254',
      provider_credential_id: null,
    });
    expect(fields(metadata)).toEqual(['provider_api_url']);
    const pip = await created();
    p.deps.config.outbound = { allowPrivate: false, allowCidrs: [] };
    const loopback = await pipeline();
    expect(fields(loopback)).toEqual(['provider_api_url']);
    const blocked = await trigger(pip.id);
    expect(blocked.json.status).toBe('failed');
    expect(blocked.json.error).toContain('loopback');
    expect(api.seen).toEqual([]);
    p.deps.config.outbound = { allowPrivate: false, allowCidrs: ['127.0.0.1/32'] };
    expect((await pipeline()).status).toBe(201);
    expect((await trigger(pip.id)).json.status).toBe('succeeded');
  });

  it('marks an attempt whose process died mid-call failed, once it is a minute old', async () => {
    const pip = await created({ provider_api_url: null, provider_credential_id: null, provider_job: null });
    const made = await trigger(pip.id);
    await p.deps.database.query(
      `update ci_trigger_attempts set status = 'pending', finished_at = null where id = $1`,
      [made.json.id],
    );
    expect((await runSweeps(p.deps)).trigger_attempts_abandoned).toBe(0);
    await at(new Date(p.clock.now().getTime() + 61_000));
    expect((await runSweeps(p.deps)).trigger_attempts_abandoned).toBe(1);
    const list = await p.request('GET', `/ci/pipelines/${pip.id}/triggers`, { token: admin });
    expect(list.json.items[0]).toMatchObject({
      status: 'failed',
      error: expect.stringContaining('did not finish'),
    });
  });

  it('validates the schedule and fires each due slot once, however many sweeps run', async () => {
    const bad = await pipeline({ trigger: 'schedule', schedule: '61 * * * *' });
    expect(bad.status).toBe(422);
    expect(bad.json.error.fields).toEqual([{ path: 'schedule', message: 'minute: 61 is outside 0-59' }]);
    await at(new Date('2026-12-09T10:02:00Z'));
    const pip = await created({ trigger: 'schedule', schedule: '*/5 * * * *' });
    expect(pip.next_fire_at).toBe('2026-12-09T10:05:00.000Z');
    const sweep = () => runSweeps(p.deps);
    expect((await sweep()).schedules_fired).toBe(0);
    await at(new Date('2026-12-09T10:05:20Z'));
    const [a, b] = await Promise.all([sweep(), sweep()]);
    expect(a.schedules_fired + b.schedules_fired).toBe(1);
    expect((await sweep()).schedules_fired).toBe(0);
    expect(api.seen).toHaveLength(1);
    const got = await p.request('GET', `/ci/pipelines/${pip.id}`, { token: admin });
    expect(got.json.next_fire_at).toBe('2026-12-09T10:10:00.000Z');
    // Missed slots are not made up one by one: only the newest fires.
    await at(new Date('2026-12-09T10:27:00Z'));
    expect((await sweep()).schedules_fired).toBe(1);
    const list = await p.request('GET', `/ci/pipelines/${pip.id}/triggers`, { token: admin });
    expect(list.json.items.map((t: { slot: string }) => t.slot)).toEqual([
      '2026-12-09T10:25:00.000Z',
      '2026-12-09T10:05:00.000Z',
    ]);
    expect(list.json.items[0]).toMatchObject({ source: 'schedule', status: 'succeeded', requested_by: null });
  });

  it('fires no slot while the project switch is off, yet a person can still run the pipeline', async () => {
    const setSwitch = async (on: boolean) => {
      const res = await p.request('PUT', `/projects/${project}/policy`, {
        token: admin,
        body: { ci_triggers_enabled: on },
      });
      expect(res.status, res.text).toBe(200);
    };
    // Other tests' schedule pipelines live on: only this pipeline's own attempts are counted.
    const sweep = () => runSweeps(p.deps);
    const attempts = async (id: string) =>
      (await p.request('GET', `/ci/pipelines/${id}/triggers`, { token: admin })).json.items as {
        source: string;
        slot: string | null;
      }[];
    await at(new Date('2026-12-10T08:02:00Z'));
    const pip = await created({ trigger: 'schedule', schedule: '*/5 * * * *' });
    await setSwitch(false);
    try {
      await at(new Date('2026-12-10T08:05:10Z'));
      expect((await sweep()).schedules_fired).toBe(0);
      expect(api.seen).toHaveLength(0);
      // "Run now" is a person's act, not an automatic one: the switch does not stop it.
      const manual = await trigger(pip.id, { ref: 'main' });
      expect(manual.status, manual.text).toBe(202);
      expect(manual.json).toMatchObject({ source: 'manual', status: 'succeeded' });
      expect(api.seen).toHaveLength(1);
    } finally {
      await setSwitch(true);
    }
    // The slot that fell while the switch was off is spent, not fired late; the next one fires.
    await at(new Date('2026-12-10T08:06:00Z'));
    await sweep();
    expect((await attempts(pip.id)).map((t) => t.source)).toEqual(['manual']);
    await at(new Date('2026-12-10T08:10:10Z'));
    await sweep();
    expect((await attempts(pip.id)).map((t) => [t.source, t.slot])).toEqual([
      ['schedule', '2026-12-10T08:10:00.000Z'],
      ['manual', null],
    ]);
    // Paged like every list, newest first: the cursor leads to older attempts, then to none.
    const listed = (query: string) =>
      p.request('GET', `/ci/pipelines/${pip.id}/triggers?${query}`, { token: admin });
    const first = await listed('limit=1');
    expect(first.json.items.map((t: { source: string }) => t.source)).toEqual(['schedule']);
    expect(first.json.next_cursor).toEqual(expect.any(String));
    const second = await listed(`limit=1&cursor=${first.json.next_cursor}`);
    expect(second.json.items.map((t: { source: string }) => t.source)).toEqual(['manual']);
    expect(second.json.next_cursor).toBeNull();
    const bad = await listed('cursor=not-ours');
    expect(bad.status).toBe(422);
    expect(bad.json.error.fields).toEqual([expect.objectContaining({ path: 'cursor' })]);
  });

  it('answers 429 with Retry-After beyond the refusals per minute, still counting them, never blocking real deliveries', async () => {
    await at(new Date('2026-12-09T11:00:10Z'));
    const limit = p.deps.config.webhookRefusalsPerMinute;
    p.deps.config.webhookRefusalsPerMinute = 3;
    try {
      const pip = await created({ provider_api_url: null, provider_credential_id: null, provider_job: null });
      const body = JSON.stringify({ zen: 'ping' });
      const send = async (secret: string, delivery: string) =>
        p.request('POST', `/ci/webhooks/${pip.id}`, {
          rawBody: body,
          headers: {
            'content-type': 'application/json',
            'x-github-event': 'ping',
            'x-github-delivery': delivery,
            'x-hub-signature-256': await githubSign(secret, body),
          },
        });
      const statuses = [];
      for (let i = 0; i < 5; i++) statuses.push((await send('wrong-secret', `bad-${i}`)).status);
      expect(statuses).toEqual([401, 401, 401, 429, 429]);
      const last = await send('wrong-secret', 'bad-5');
      expect(last.headers.get('retry-after')).toBe('50');
      expect((await send(pip.webhook_secret, 'good-1')).status).toBe(200);
      await at(new Date('2026-12-09T11:01:05Z'));
      await runSweeps(p.deps);
      const audit = await p.request('GET', `/audit/events?resource_id=${pip.id}&limit=50`, { token: admin });
      const refused = audit.json.items.filter(
        (e: { action: string }) => e.action === 'pipeline.webhook_refused',
      );
      expect(refused).toHaveLength(1);
      expect(refused[0].detail).toMatchObject({ count: 6 });
      // A new minute starts with a fresh allowance.
      expect((await send('wrong-secret', 'bad-6')).status).toBe(401);
    } finally {
      p.deps.config.webhookRefusalsPerMinute = limit;
    }
  });

  // Last: it takes the schema down and back up under the tests above.
  it('migrates down: ci_provider tokens are shredded and no pipeline names them; up again', async () => {
    const db = p.deps.database;
    const since0019 = p.deps.migrations.filter((m) => m.version >= 19).length;
    await migrateDown(db, p.deps.migrations, since0019);
    const [cred] = await db.query<{ kind: string; deleted: boolean; key_id: string }>(
      `select kind, deleted_at is not null as deleted, envelope->>'key_id' as key_id from credentials where id = $1`,
      [credential],
    );
    expect(cred).toEqual({ kind: 'token', deleted: true, key_id: 'deleted' });
    const named = await db.query('select id from ci_pipelines where provider_credential_id = $1', [
      credential,
    ]);
    expect(named).toEqual([]);
    await expect(
      db.query(`update credentials set kind = 'ci_provider' where id = $1`, [credential]),
    ).rejects.toThrow();
    await expect(db.query('select 1 from ci_trigger_attempts')).rejects.toThrow();
    await migrateUp(db, p.deps.migrations);
    expect(await db.query('select count(*)::int as n from ci_trigger_attempts')).toEqual([{ n: 0 }]);
  });
});
