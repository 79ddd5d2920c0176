// biome-ignore-all lint/suspicious/noTemplateCurlyInString: image templates with ${VAR} placeholders are the subject under test
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sign as githubSign } from '@octokit/webhooks-methods';
import { eq } from 'drizzle-orm';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../../../test/support/databases';
import { createTestPlatform, type TestPlatform } from '../../../test/support/platform';
import { migrateDown, migrateUp } from '../../platform/db/migrate';
import { roles } from '../../platform/db/schema';
import { runSweeps } from '../sweeps';

/** Provider payloads in their documented shapes (shared/ci/fixtures). */
const fixture = (name: string) =>
  readFileSync(join(import.meta.dirname, '../../../shared/ci/fixtures', `${name}.json`), 'utf8');
const GH_SHA = '6113728f27ae82c7b1a177c8d03f9e96e0adf246';

describe.each(await backends())('CI pipelines and builds on %s', (backend) => {
  let p: TestPlatform;
  let admin: string;
  let project: string;
  let other: string;
  let service: string;
  let n = 0;

  const pipeline = async (over: Record<string, unknown> = {}) => {
    const res = await p.request('POST', '/ci/pipelines', {
      token: admin,
      body: {
        project_id: project,
        service_id: service,
        provider: 'github_actions',
        repository: 'octo-org/web',
        trigger: 'push',
        image: 'registry.internal/web:${SHORT_SHA}-${RUN_NUMBER}',
        ...over,
      },
    });
    expect(res.status, res.text).toBe(201);
    return res.json as { id: string; webhook_secret: string; webhook_url: string };
  };
  const deliver = (id: string, rawBody: string, headers: Record<string, string>) =>
    p.request('POST', `/ci/webhooks/${id}`, { rawBody, headers });
  const github = async (
    pip: { id: string },
    secret: string,
    event: string,
    body: string,
    delivery?: string,
  ) =>
    deliver(pip.id, body, {
      'content-type': 'application/json',
      'x-github-event': event,
      'x-github-delivery': delivery ?? `gh-${++n}`,
      'x-hub-signature-256': await githubSign(secret, body),
    });
  const standard = (
    pip: { id: string },
    secret: string,
    body: string,
    id = `msg_${++n}`,
    at = p.clock.now(),
  ) =>
    deliver(pip.id, body, {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': new Webhook(secret).sign(id, at, body),
    });
  const build = async (id: string) => (await p.request('GET', `/ci/builds/${id}`, { token: admin })).json;
  const events = async (resourceId: string) =>
    (await p.request('GET', `/audit/events?resource_id=${resourceId}&limit=200`, { token: admin })).json
      .items as { action: string; detail: Record<string, unknown> }[];

  beforeAll(async () => {
    p = await createTestPlatform(backend);
    admin = await p.adminToken();
    project = (await p.request('POST', '/projects', { token: admin, body: { name: 'ci' } })).json.id;
    other = (await p.request('POST', '/projects', { token: admin, body: { name: 'elsewhere' } })).json.id;
    service = (
      await p.request('POST', '/services', {
        token: admin,
        body: { project_id: project, name: 'web', compose_file: 'services:\n  web:\n    image: ${IMAGE}\n' },
      })
    ).json.id;
  });
  afterAll(() => p.close());

  it('shows the webhook secret once, at creation, and never in reads or the audit stream', async () => {
    const pip = await pipeline();
    expect(pip.webhook_url).toBe(`http://localhost/api/v1/ci/webhooks/${pip.id}`);
    expect(pip.webhook_secret.length).toBeGreaterThanOrEqual(40);
    const got = await p.request('GET', `/ci/pipelines/${pip.id}`, { token: admin });
    expect(got.status).toBe(200);
    expect(got.json).not.toHaveProperty('webhook_secret');
    const list = await p.request('GET', `/ci/pipelines?service_id=${service}`, { token: admin });
    expect(list.json.items.map((i: { id: string }) => i.id)).toContain(pip.id);
    for (const text of [got.text, list.text, JSON.stringify(await events(pip.id))])
      expect(text).not.toContain(pip.webhook_secret);
    const row = await p.deps.database.db.execute(`select secret_envelope::text as e from ci_pipelines`);
    expect(JSON.stringify(row)).not.toContain(pip.webhook_secret);
  });

  it('refuses bad pipelines with the fields at fault', async () => {
    const bad = await p.request('POST', '/ci/pipelines', {
      token: admin,
      body: {
        project_id: project,
        service_id: service,
        provider: 'circleci',
        repository: 'octo-org/web',
        trigger: 'push',
        image: 'registry.internal/web:${VERSION}',
      },
    });
    expect(bad.status).toBe(422);
    expect(bad.json.error.fields.map((f: { path: string }) => f.path).sort()).toEqual(['image', 'provider']);
    const foreign = await p.request('POST', '/ci/pipelines', {
      token: admin,
      body: {
        project_id: other,
        service_id: service,
        provider: 'generic',
        repository: 'r',
        trigger: 'manual',
        image: 'r/w:${SHA}',
      },
    });
    expect(foreign.status).toBe(422);
    expect(foreign.json.error.fields).toEqual([
      { path: 'service_id', message: 'no such service in the project' },
    ]);
    const unscheduled = await p.request('POST', '/ci/pipelines', {
      token: admin,
      body: {
        project_id: project,
        service_id: service,
        provider: 'generic',
        repository: 'r',
        trigger: 'schedule',
        image: 'r/w:${SHA}',
      },
    });
    expect(unscheduled.json.error.fields[0].path).toBe('schedule');
  });

  it('makes a push and its workflow run one build, followed to its end, with the rendered image', async () => {
    const pip = await pipeline();
    const s = pip.webhook_secret;
    const pushed = await github(pip, s, 'push', fixture('github-push'));
    expect(pushed.status, pushed.text).toBe(200);
    expect(pushed.json).toMatchObject({ duplicate: false, ignored: null });
    const id = pushed.json.build_id as string;
    expect(await build(id)).toMatchObject({
      status: 'queued',
      commit: GH_SHA,
      ref: 'refs/heads/main',
      artifacts: [],
    });

    for (const [name, status] of [
      ['github-workflow-run-requested', 'queued'],
      ['github-workflow-run-in-progress', 'running'],
      ['github-workflow-run-completed', 'succeeded'],
    ] as const) {
      const res = await github(pip, s, 'workflow_run', fixture(name));
      expect(res.json.build_id).toBe(id);
      expect((await build(id)).status).toBe(status);
    }
    // A late retry of an earlier state does not undo the end.
    await github(pip, s, 'workflow_run', fixture('github-workflow-run-in-progress'));
    expect(await build(id)).toMatchObject({
      pipeline_id: pip.id,
      service_id: service,
      provider_run_id: '30433642',
      status: 'succeeded',
      artifacts: [{ image: 'registry.internal/web:6113728-562', digest: null }],
      deployments: [],
    });
    const list = await p.request('GET', `/ci/builds?service_id=${service}&status=succeeded`, {
      token: admin,
    });
    expect(list.json.items.map((b: { id: string }) => b.id)).toContain(id);
    const running = await p.request('GET', `/ci/builds?pipeline_id=${pip.id}&status=running`, {
      token: admin,
    });
    expect(running.json.items).toEqual([]);
  });

  it('answers a redelivery with duplicate: true and records nothing twice', async () => {
    const pip = await pipeline();
    const first = await github(pip, pip.webhook_secret, 'push', fixture('github-push'), 'same-delivery');
    const before = (await events(first.json.build_id)).length;
    const again = await github(pip, pip.webhook_secret, 'push', fixture('github-push'), 'same-delivery');
    expect(again.status).toBe(200);
    expect(again.json).toEqual({ duplicate: true, build_id: first.json.build_id, ignored: null });
    // Even a redelivery carrying another state changes nothing: the id was taken.
    const changed = await github(
      pip,
      pip.webhook_secret,
      'workflow_run',
      fixture('github-workflow-run-completed'),
      'same-delivery',
    );
    expect(changed.json.duplicate).toBe(true);
    expect((await build(first.json.build_id)).status).toBe('queued');
    expect((await events(first.json.build_id)).length).toBe(before);
  });

  it('verifies form-encoded GitHub deliveries on the form body', async () => {
    const pip = await pipeline();
    const form = new URLSearchParams({ payload: fixture('github-workflow-run-failed') }).toString();
    const res = await deliver(pip.id, form, {
      'content-type': 'application/x-www-form-urlencoded',
      'x-github-event': 'workflow_run',
      'x-github-delivery': 'form-1',
      'x-hub-signature-256': await githubSign(pip.webhook_secret, form),
    });
    expect(res.status, res.text).toBe(200);
    expect((await build(res.json.build_id)).status).toBe('failed');
  });

  it('reads GitLab pipeline hooks authenticated by X-Gitlab-Token', async () => {
    const pip = await pipeline({
      provider: 'gitlab_ci',
      repository: 'platform/web',
      image: 'r/web:${REF}-${SHORT_SHA}',
    });
    const hook = (event: string, body: string, uuid: string, token = pip.webhook_secret) =>
      deliver(pip.id, body, {
        'content-type': 'application/json',
        'x-gitlab-event': event,
        'x-gitlab-event-uuid': uuid,
        'x-gitlab-token': token,
      });
    const pushed = await hook('Push Hook', fixture('gitlab-push'), 'u-1');
    const done = await hook('Pipeline Hook', fixture('gitlab-pipeline-success'), 'u-2');
    expect(done.json.build_id).toBe(pushed.json.build_id);
    expect(await build(done.json.build_id)).toMatchObject({
      status: 'succeeded',
      provider_run_id: '31',
      artifacts: [{ image: 'r/web:main-bcbb5ec', digest: null }],
    });
    expect(
      (await hook('Pipeline Hook', fixture('gitlab-pipeline-running'), 'u-3', 'not-the-token')).status,
    ).toBe(401);
  });

  it("takes Standard Webhooks deliveries from generic senders, with the sender's artifacts", async () => {
    const pip = await pipeline({ provider: 'jenkins', repository: 'web', tag_filter: 'v*' });
    expect(pip.webhook_secret.startsWith('whsec_')).toBe(true);
    // No content type at all: this route is exempt from the JSON-only rule; the signature decides.
    const body = fixture('generic-succeeded');
    const id = 'msg_jenkins_1';
    const at = p.clock.now();
    const res = await deliver(pip.id, body, {
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': new Webhook(pip.webhook_secret).sign(id, at, body),
    });
    expect(res.status, res.text).toBe(200);
    expect(await build(res.json.build_id)).toMatchObject({
      status: 'succeeded',
      ref: 'refs/tags/v2.4.0',
      artifacts: [{ image: 'registry.internal/web:v2.4.0', digest: `sha256:${'4f'.repeat(32)}` }],
    });
    const stale = await standard(
      pip,
      pip.webhook_secret,
      body,
      'msg_old',
      new Date(at.getTime() - 6 * 60_000),
    );
    expect(stale.status).toBe(401);
    const outside = JSON.stringify({ ...JSON.parse(body), ref: 'refs/tags/nightly', commit: 'a'.repeat(40) });
    expect((await standard(pip, pip.webhook_secret, outside)).json.ignored).toContain('outside');
    const unreadable = await standard(
      pip,
      pip.webhook_secret,
      JSON.stringify({ run_id: 'x', status: 'done' }),
    );
    expect(unreadable.status).toBe(422);
    expect(unreadable.json.error.fields.map((f: { path: string }) => f.path)).toContain('status');
    // The raw body is exempt from the NUL rule; the fields read from it are not.
    const nul = JSON.stringify({ run_id: 'n', commit: 'b'.repeat(40), ref: 'ma\u0000in', status: 'queued' });
    const refused = await standard(pip, pip.webhook_secret, nul);
    expect(refused.status, refused.text).toBe(422);
    expect(refused.json.error.fields).toEqual([{ path: 'ref', message: 'must not contain NUL characters' }]);
    const long = await standard(pip, pip.webhook_secret, body, `msg_${'x'.repeat(300)}`);
    expect(long.status).toBe(422);
    expect(long.json.error.fields[0].path).toBe('delivery_id');
  });

  it('refuses bad signatures with 401 and audits them once per pipeline and minute, with the count', async () => {
    const pip = await pipeline();
    const body = fixture('github-push');
    const forged = await githubSign('not-the-secret', body);
    for (let i = 0; i < 3; i++) {
      const res = await deliver(pip.id, body, {
        'content-type': 'application/json',
        'x-github-event': 'push',
        'x-github-delivery': `forged-${i}`,
        'x-hub-signature-256': forged,
      });
      expect(res.status).toBe(401);
      expect(res.json.error.code).toBe('UNAUTHENTICATED');
    }
    await deliver(pip.id, body, { 'x-github-event': 'push', 'x-github-delivery': 'unsigned' });
    expect((await events(pip.id)).filter((e) => e.action === 'pipeline.webhook_refused')).toEqual([]);
    p.clock.advance(61_000);
    await runSweeps(p.deps);
    await runSweeps(p.deps);
    const refused = (await events(pip.id)).filter((e) => e.action === 'pipeline.webhook_refused');
    expect(refused).toHaveLength(1);
    expect(refused[0]?.detail).toMatchObject({
      count: 4,
      reasons: ['bad signature', 'no X-Hub-Signature-256'],
    });
    expect(JSON.stringify(refused)).not.toContain('octo-org');
    // Nothing of the refused deliveries became a build.
    const builds = await p.request('GET', `/ci/builds?pipeline_id=${pip.id}`, { token: admin });
    expect(builds.json.items).toEqual([]);
  });

  it('rotates the secret: the old one stops verifying at once, the new one works', async () => {
    const pip = await pipeline();
    // Verified once before: the secret opened for it must not outlive the rotation.
    expect((await github(pip, pip.webhook_secret, 'push', fixture('github-push'))).status).toBe(200);
    const rotated = await p.request('POST', `/ci/pipelines/${pip.id}/rotate-secret`, { token: admin });
    expect(rotated.status).toBe(200);
    expect(rotated.json.webhook_secret).not.toBe(pip.webhook_secret);
    expect((await github(pip, pip.webhook_secret, 'push', fixture('github-push'))).status).toBe(401);
    expect((await github(pip, rotated.json.webhook_secret, 'push', fixture('github-push'))).status).toBe(200);
    expect((await events(pip.id)).map((e) => e.action)).toContain('pipeline.secret_rotated');
  });

  it('patches and deletes a pipeline; a deleted one answers 404 to deliveries and reads', async () => {
    const pip = await pipeline();
    const patched = await p.request('PATCH', `/ci/pipelines/${pip.id}`, {
      token: admin,
      body: { branch_filter: 'release/*', image: 'r/web:${SHA}' },
    });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.json).toMatchObject({ branch_filter: 'release/*', image: 'r/web:${SHA}' });
    expect((await github(pip, pip.webhook_secret, 'push', fixture('github-push'))).json.ignored).toContain(
      'outside',
    );
    expect((await p.request('DELETE', `/ci/pipelines/${pip.id}`, { token: admin })).status).toBe(204);
    expect((await p.request('GET', `/ci/pipelines/${pip.id}`, { token: admin })).status).toBe(404);
    expect((await github(pip, pip.webhook_secret, 'push', fixture('github-push'))).status).toBe(404);
  });

  it('marks builds with no final state unknown after the timeout', async () => {
    const pip = await pipeline({ provider: 'generic', image: 'r/web:${SHA}' });
    const body = JSON.stringify({ run_id: 'slow', commit: 'c'.repeat(40), ref: 'main', status: 'running' });
    const res = await standard(pip, pip.webhook_secret, body);
    p.clock.advance(119 * 60_000);
    // Access tokens last minutes, not hours of the test's clock.
    admin = await p.adminToken();
    await runSweeps(p.deps);
    expect((await build(res.json.build_id)).status).toBe('running');
    p.clock.advance(2 * 60_000);
    admin = await p.adminToken();
    expect((await runSweeps(p.deps)).builds_timed_out).toBeGreaterThanOrEqual(1);
    expect((await build(res.json.build_id)).status).toBe('unknown');
    // A provider that reports after all still has the last word.
    const late = JSON.stringify({ run_id: 'slow', commit: 'c'.repeat(40), ref: 'main', status: 'succeeded' });
    await standard(pip, pip.webhook_secret, late);
    expect((await build(res.json.build_id)).status).toBe('succeeded');
  });

  it('lets a viewer read builds but not change pipelines; another project sees none of them', async () => {
    const pip = await pipeline();
    const viewer = await p.userWithRole('viewer', project);
    expect((await p.request('GET', `/ci/pipelines/${pip.id}`, { token: viewer.token })).status).toBe(200);
    const denied = await p.request('POST', `/ci/pipelines/${pip.id}/rotate-secret`, { token: viewer.token });
    expect(denied.status).toBe(403);
    expect(denied.json.error.message).toContain('ci:write');
    const outsider = await p.userWithRole('deployer', other);
    expect((await p.request('GET', `/ci/pipelines/${pip.id}`, { token: outsider.token })).status).toBe(403);
    const theirs = await p.request('GET', '/ci/builds', { token: outsider.token });
    expect(theirs.json.items).toEqual([]);
  });

  it('gives built-in roles made before CI its permissions when migrating, and takes them back down', async () => {
    const perms = async () => {
      const rows = await p.deps.database.db
        .select({ name: roles.name, permissions: roles.permissions })
        .from(roles)
        .where(eq(roles.builtin, true));
      return Object.fromEntries(
        rows.map((r) => [r.name, r.permissions.filter((x) => x.startsWith('ci:')).sort()]),
      );
    };
    const ci0016 = p.deps.migrations.filter((m) => m.version >= 16);
    await migrateDown(p.deps.database, p.deps.migrations, ci0016.length);
    expect(await perms()).toEqual({ admin: [], approver: [], deployer: [], viewer: [] });
    await migrateUp(p.deps.database, p.deps.migrations);
    expect(await perms()).toEqual({
      admin: ['ci:read', 'ci:write'],
      approver: ['ci:read'],
      deployer: ['ci:read', 'ci:write'],
      viewer: ['ci:read'],
    });
  });
});
