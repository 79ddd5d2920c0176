import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../../../test/support/databases';
import { composeVars, governanceFixture } from '../../../test/support/governance';
import { createTestPlatform, type TestPlatform } from '../../../test/support/platform';
import { webhookReceiver } from '../../../test/support/webhook-receiver';
import type { Db } from '../../platform/db/types';
import { claimJob, completeJob } from '../jobs/service';
import { deliverNotifications } from '../notifications/deliveries';
import { Authorizer, type Grants } from '../rbac/enforcer';
import { runCdWork } from './act';

type Deployment = {
  environment_id: string;
  target_id: string;
  release_id: string | null;
  outcome: string;
  error_code: string | null;
};

/** SPEC §7.2 CD policies and §7.0 "who acts", through the API and the sweep's share. */
describe.each(await backends())('CD policies on %s', (backend) => {
  let p: TestPlatform;
  let f: Awaited<ReturnType<typeof governanceFixture>>;
  let deployer: { id: string; username: string; token: string };
  let approver: { id: string; username: string; token: string };
  let pipeline: { id: string; webhook_secret: string };
  let n = 0;

  beforeAll(async () => {
    p = await createTestPlatform(backend);
    f = await governanceFixture(p, 'cd');
    deployer = await p.userWithRole('deployer', f.project);
    approver = await p.userWithRole('approver', f.project);
    const res = await p.request('POST', '/ci/pipelines', {
      token: f.admin,
      body: {
        project_id: f.project,
        service_id: f.serviceId,
        provider: 'generic',
        repository: 'jenkins/web',
        trigger: 'push',
        image: 'registry.internal/web:latest',
      },
    });
    expect(res.status, res.text).toBe(201);
    pipeline = res.json;
  }, 120_000);
  afterAll(() => p.close());

  const db = () => p.deps.database.db;
  const cd = () => runCdWork({ db: db(), clock: p.clock, keys: p.deps.keys, authorizer: p.deps.authorizer });
  const put = (envId: string, body: Record<string, unknown>, token = deployer.token) =>
    p.request('PUT', `/cd/policies/${f.serviceId}/${envId}`, { token, body });
  const sha = () => (++n).toString(16).padStart(40, 'a');
  /** A Jenkins-style succeeded build of a fresh commit, signed the Standard Webhooks way. */
  const deliver = async (tag: string, opts: { id?: string; commit?: string; status?: string } = {}) => {
    const body = JSON.stringify({
      run_id: `run-${tag}`,
      commit: opts.commit ?? sha(),
      ref: 'refs/heads/main',
      status: opts.status ?? 'succeeded',
      artifacts: [{ image: `registry.internal/web:${tag}` }],
    });
    const id = opts.id ?? `msg_${tag}_${++n}`;
    const at = p.clock.now();
    const res = await p.request('POST', `/ci/webhooks/${pipeline.id}`, {
      rawBody: body,
      headers: {
        'content-type': 'application/json',
        'webhook-id': id,
        'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
        'webhook-signature': new Webhook(pipeline.webhook_secret).sign(id, at, body),
      },
    });
    expect(res.status, res.text).toBe(200);
    return res.json as { build_id: string; duplicate: boolean };
  };
  const deployments = async (buildId: string, token = f.admin) =>
    (await p.request('GET', `/ci/builds/${buildId}`, { token })).json.deployments as Deployment[];
  /** The runner's part, without a runner: claim the next job of the pool and report. */
  const runJob = async (status: 'succeeded' | 'failed') => {
    const lease = await claimJob(db(), p.clock, {
      runnerPoolId: f.pool,
      runnerId: 'run_test',
      leaseSeconds: 60,
      kinds: p.deps.jobKinds,
    });
    expect(lease).toBeTruthy();
    await completeJob(
      db(),
      p.clock,
      lease!,
      status === 'failed' ? { status, error_code: 'COMPOSE_UP_FAILED' } : { status },
      p.deps.jobKinds,
    );
    return lease!.job.resourceId;
  };

  it('saves a policy only with targets of that environment and the permissions it will use', async () => {
    const wrongEnv = await put(f.envs.dev, { target_ids: [f.targets.devCompose, f.targets.prodCompose] });
    expect(wrongEnv.status).toBe(422);
    expect(wrongEnv.json.error.fields.map((x: { path: string }) => x.path)).toEqual(['target_ids.1']);
    const viewer = await p.userWithRole('viewer', f.project);
    expect((await put(f.envs.dev, { target_ids: [] }, viewer.token)).status).toBe(403);

    // cd:write alone does not let a user make the platform apply on their behalf.
    const role = await p.request('POST', '/roles', {
      token: f.admin,
      body: { name: 'cd-only', permissions: ['cd:write', 'ci:read', 'deploy:release:apply'] },
    });
    expect(role.status, role.text).toBe(201);
    const cdOnly = await p.userWithRole('cd-only', f.project);
    const lacking = await put(
      f.envs.dev,
      { target_ids: [f.targets.devCompose], auto_apply: true },
      cdOnly.token,
    );
    expect(lacking.status).toBe(403);
    expect(lacking.json.error.message).toContain('deploy:compose:apply');

    const saved = await put(f.envs.dev, {
      target_ids: [f.targets.devCompose, f.targets.devK8s],
      auto_preview_on_build: true,
      auto_apply: true,
      auto_rollback_on_failure: true,
    });
    expect(saved.status, saved.text).toBe(200);
    expect(saved.json).toMatchObject({ saved_by: deployer.id, approval: 'inherit', strategy: 'rolling' });
    const got = await p.request('GET', `/cd/policies/${f.serviceId}/${f.envs.dev}`, { token: viewer.token });
    expect(got.json).toEqual(saved.json);
    const list = await p.request('GET', `/cd/policies?service_id=${f.serviceId}`, { token: viewer.token });
    expect(list.json.items).toEqual([saved.json]);
    const events = await p.request('GET', `/audit/events?action=cd_policy.saved`, { token: f.admin });
    expect(events.json.items.at(-1)).toMatchObject({ actor_id: deployer.id });
  });

  let first: { build: string; release: string };

  it('previews and applies a succeeded build as the saver, once, and refuses what it cannot fill', async () => {
    // Something applied by hand first: the build's preview takes API_KEY from it (SPEC §7.0).
    await p
      .request('POST', '/deploy/releases/preview', {
        token: deployer.token,
        body: { service_id: f.serviceId, target_id: f.targets.devCompose, variables: composeVars('0.9') },
      })
      .then((pv) =>
        p.request('POST', '/deploy/releases/apply', {
          token: deployer.token,
          body: { preview_ref: pv.json.preview_ref },
        }),
      );
    await runJob('succeeded');

    const d = await deliver('1.0', { id: 'msg_first' });
    // Nothing happens inside the delivery: the sweep does the work.
    expect(await deployments(d.build_id)).toEqual([]);
    expect(await cd()).toBe(1);
    const entries = await deployments(d.build_id);
    const compose = entries.find((e) => e.target_id === f.targets.devCompose)!;
    expect(compose).toMatchObject({ environment_id: f.envs.dev, outcome: 'approved', error_code: null });
    // The k8s template needs REPLICAS, which nobody ever gave: refused with the 422's code.
    expect(entries.find((e) => e.target_id === f.targets.devK8s)).toMatchObject({
      release_id: null,
      outcome: 'refused',
      error_code: 'VALIDATION_FAILED',
    });
    first = { build: d.build_id, release: compose.release_id! };

    // The same delivery again, and the sweep again: nothing twice.
    expect((await deliver('1.0', { id: 'msg_first' })).duplicate).toBe(true);
    expect(await cd()).toBe(0);

    const release = await p.request('GET', `/deploy/releases/${first.release}`, { token: deployer.token });
    expect(release.json).toMatchObject({
      created_by: deployer.id,
      build: { id: d.build_id, pipeline_id: pipeline.id },
    });
    const events = (await p.request('GET', `/audit/events?resource_id=${first.release}`, { token: f.admin }))
      .json.items as { action: string; source: string; actor_id: string; detail: Record<string, unknown> }[];
    const previewed = events.find((e) => e.action === 'release.previewed')!;
    expect(previewed).toMatchObject({ source: 'system', actor_id: deployer.id });
    expect(previewed.detail).toMatchObject({
      on_behalf_of: deployer.id,
      build_id: d.build_id,
      variables: { TAG: '1.0', API_KEY: '***' },
    });

    // Followed to its end: the runner lands it and the build says so.
    expect(await runJob('succeeded')).toBe(first.release);
    expect((await deployments(d.build_id)).find((e) => e.target_id === f.targets.devCompose)?.outcome).toBe(
      'applied',
    );
  });

  it('acts once per build: a re-run or a later report of the same commit deploys nothing more', async () => {
    const commit = sha();
    await deliver('1.05', { commit, status: 'running' });
    expect(await cd()).toBe(0);
    const d = await deliver('1.05', { commit });
    expect(await cd()).toBe(1);
    const again = await deliver('1.05', { commit });
    expect(again.build_id).toBe(d.build_id);
    expect(await cd()).toBe(0);
    expect((await deployments(d.build_id)).filter((e) => e.target_id === f.targets.devCompose)).toHaveLength(
      1,
    );
    await runJob('succeeded');
  });

  it('skips a busy target with the code and waits for a ticket in production', async () => {
    await put(f.envs.prod, { target_ids: [f.targets.prodCompose], auto_apply: true });
    const busy = await deliver('1.1');
    await cd();
    const queued = (await deployments(busy.build_id)).find((e) => e.target_id === f.targets.devCompose)!;
    expect(queued.outcome).toBe('approved');
    const prod = (await deployments(busy.build_id)).find((e) => e.target_id === f.targets.prodCompose)!;
    // Production has nothing applied, so API_KEY has no value there: refused, nothing guessed.
    expect(prod).toMatchObject({ outcome: 'refused', error_code: 'VALIDATION_FAILED' });

    const next = await deliver('1.2');
    await cd();
    expect(
      (await deployments(next.build_id)).find((e) => e.target_id === f.targets.devCompose),
    ).toMatchObject({
      outcome: 'skipped',
      error_code: 'TARGET_BUSY',
    });
    await runJob('succeeded');
    // Production acts no more, so the entries below are the development target's alone.
    expect((await put(f.envs.prod, { target_ids: [] })).status).toBe(200);
  });

  it('asks for a ticket with approval: always, which the saver may not decide', async () => {
    await put(f.envs.dev, { target_ids: [f.targets.devCompose], auto_apply: true, approval: 'always' });
    const d = await deliver('1.3');
    await cd();
    const [entry] = await deployments(d.build_id);
    expect(entry).toMatchObject({ outcome: 'pending_approval' });
    const rel = (await p.request('GET', `/deploy/releases/${entry!.release_id}`, { token: f.admin })).json;
    const ticket = rel.approval_ticket as string;
    const self = await p.request('POST', `/approvals/inbox/${ticket}/decision`, {
      token: deployer.token,
      body: { decision: 'approve', comment: 'mine' },
    });
    expect(self.status).toBe(403);
    const ok = await p.request('POST', `/approvals/inbox/${ticket}/decision`, {
      token: approver.token,
      body: { decision: 'approve', comment: 'looks right' },
    });
    expect(ok.status, ok.text).toBe(200);
    await runJob('succeeded');
    const chain = await p.request('GET', `/ci/releases/${entry!.release_id}/chain`, { token: f.admin });
    expect(chain.status, chain.text).toBe(200);
    expect(chain.json).toMatchObject({
      service: { id: f.serviceId, name: 'web' },
      build: {
        id: d.build_id,
        commit: expect.any(String),
        ref: 'refs/heads/main',
        provider_run_id: 'run-1.3',
      },
      release: { id: entry!.release_id, lifecycle_state: 'applied' },
      ticket: { id: ticket, status: 'approved', requested_by: deployer.id },
      decisions: [
        {
          decision: 'approved',
          decided_by: approver.id,
          decided_by_username: approver.username,
          comment: 'looks right',
        },
      ],
    });
    const actors = chain.json.actors as {
      action: string;
      actor: { user_id: string };
      on_behalf_of: string | null;
    }[];
    expect(actors.find((a) => a.action === 'release.previewed')).toMatchObject({
      on_behalf_of: deployer.id,
      on_behalf_of_username: deployer.username,
    });
    expect(actors.find((a) => a.action === 'approval.approved')?.actor.user_id).toBe(approver.id);
    // ci:read without the release's read: the chain stops at the build.
    const ciOnlyRole = await p.request('POST', '/roles', {
      token: f.admin,
      body: { name: 'ci-reader', permissions: ['ci:read'] },
    });
    expect(ciOnlyRole.status).toBe(201);
    const ciOnly = await p.userWithRole('ci-reader', f.project);
    const partial = await p.request('GET', `/ci/releases/${entry!.release_id}/chain`, {
      token: ciOnly.token,
    });
    expect(partial.json).toMatchObject({
      build: { id: d.build_id },
      release: null,
      ticket: null,
      actors: [],
    });
    expect((await deployments(d.build_id, ciOnly.token))[0]?.release_id).toBeNull();
  });

  it('rolls a failed release back as the saver, and never a rollback', async () => {
    await put(f.envs.dev, {
      target_ids: [f.targets.devCompose],
      auto_apply: true,
      auto_rollback_on_failure: true,
    });
    const good = await deliver('2.0');
    await cd();
    await runJob('succeeded');
    expect((await deployments(good.build_id))[0]?.outcome).toBe('applied');
    const bad = await deliver('2.1');
    await cd();
    const badRelease = await runJob('failed');
    expect(await cd()).toBe(1);
    const [, rollback] = await deployments(bad.build_id);
    expect(rollback).toMatchObject({ target_id: f.targets.devCompose, outcome: 'approved' });
    const rb = (await p.request('GET', `/deploy/releases/${rollback!.release_id}`, { token: f.admin })).json;
    expect(rb).toMatchObject({ rollback_of: badRelease, created_by: deployer.id });
    // The rollback fails too: nothing rolls it back.
    await runJob('failed');
    expect(await cd()).toBe(0);
  });

  it('stops every automatic action when the project switch is off, and still records builds', async () => {
    const off = await p.request('PUT', `/projects/${f.project}/policy`, {
      token: f.admin,
      body: { ci_triggers_enabled: false },
    });
    expect(off.status, off.text).toBe(200);
    expect(off.json.ci_triggers_enabled).toBe(false);
    const d = await deliver('3.0');
    expect((await p.request('GET', `/ci/builds/${d.build_id}`, { token: f.admin })).json.status).toBe(
      'succeeded',
    );
    await cd();
    expect(await deployments(d.build_id)).toEqual([]);
    await p.request('PUT', `/projects/${f.project}/policy`, {
      token: f.admin,
      body: { ci_triggers_enabled: true },
    });
  });

  it('skips with PREVIEW_STALE when a release lands on the target between its preview and its apply', async () => {
    await put(f.envs.dev, { target_ids: [f.targets.devCompose], auto_apply: true });
    const d = await deliver('5.0');
    let handRelease: string | undefined;
    /**
     * The policy previews and then applies, each asking for the apply permission first: the second
     * ask is the moment between the two, where a person's own release is made to land.
     */
    class LandingBetween extends Authorizer {
      asks = 0;
      override async forUser(database: Db, userId: string): Promise<Grants> {
        const g = await super.forUser(database, userId);
        const can: Grants['can'] = async (permission, projectId) => {
          if (permission === 'deploy:release:apply' && ++this.asks === 2) {
            const pv = await p.request('POST', '/deploy/releases/preview', {
              token: deployer.token,
              body: {
                service_id: f.serviceId,
                target_id: f.targets.devCompose,
                variables: composeVars('4.9'),
              },
            });
            expect(pv.status, pv.text).toBe(201);
            const applied = await p.request('POST', '/deploy/releases/apply', {
              token: deployer.token,
              body: { preview_ref: pv.json.preview_ref },
            });
            expect(applied.status, applied.text).toBe(202);
            handRelease = await runJob('succeeded');
          }
          return g.can(permission, projectId);
        };
        return { ...g, can };
      }
    }
    const authorizer = new LandingBetween();
    expect(await runCdWork({ db: db(), clock: p.clock, keys: p.deps.keys, authorizer })).toBe(1);
    expect(authorizer.asks).toBeGreaterThanOrEqual(2);
    const [entry] = await deployments(d.build_id);
    expect(entry).toMatchObject({
      target_id: f.targets.devCompose,
      release_id: expect.any(String),
      outcome: 'skipped',
      error_code: 'PREVIEW_STALE',
    });
    // Nothing retried and nothing replaced: the policy's preview stays unapplied, the person's runs.
    const policyRelease = await p.request('GET', `/deploy/releases/${entry!.release_id}`, { token: f.admin });
    expect(policyRelease.json.lifecycle_state).toBe('preview');
    const target = await p.request('GET', `/deploy/targets/${f.targets.devCompose}`, { token: f.admin });
    expect(target.json.applied_release_id).toBe(handRelease);
    expect(await cd()).toBe(0);
  });

  it('tells a notification endpoint, signed, what a build and its auto-apply did', async () => {
    const receiver = await webhookReceiver();
    try {
      const ep = await p.request('POST', '/notifications/endpoints', {
        token: f.admin,
        body: { project_id: f.project, url: receiver.url(), events: ['build.*', 'release.*'] },
      });
      expect(ep.status, ep.text).toBe(201);
      receiver.trust(ep.json.secret);
      await put(f.envs.dev, { target_ids: [f.targets.devCompose], auto_apply: true });
      const d = await deliver('6.0');
      await cd();
      const release = (await deployments(d.build_id))[0]!.release_id!;
      expect(await runJob('succeeded')).toBe(release);
      const send = () =>
        deliverNotifications({
          db: db(),
          clock: p.clock,
          keys: p.deps.keys,
          outbound: p.deps.config.outbound,
          lookup: p.deps.outboundLookup,
        });
      await send();
      await send();
      // Checked by the receiver with the `standardwebhooks` package, as a real receiver would.
      expect(receiver.received.length).toBeGreaterThan(0);
      expect(receiver.received.every((m) => m.verified)).toBe(true);
      const of = (type: string, resource: string) =>
        receiver.received.find((m) => m.body.type === type && m.body.data.resource_id === resource)?.body;
      expect(of('build.received', d.build_id)).toMatchObject({ project_id: f.project });
      expect(of('build.deployed', d.build_id)?.data.detail.deployments).toEqual([
        expect.objectContaining({ target_id: f.targets.devCompose, release_id: release }),
      ]);
      expect(of('release.previewed', release)?.data).toMatchObject({
        source: 'system',
        actor_id: deployer.id,
        detail: { on_behalf_of: deployer.id, build_id: d.build_id, variables: { API_KEY: '***' } },
      });
      expect(of('release.approved', release)).toBeDefined();
      expect(of('release.applied', release)).toBeDefined();
      // Each event once, however many sweeps ran.
      const ids = receiver.received.map((m) => m.id);
      expect(new Set(ids).size).toBe(ids.length);
    } finally {
      await receiver.stop();
    }
  });

  it('fills DIGEST only from the build’s own artifact, refusing a build that has none', async () => {
    const svc = await p.request('POST', '/services', {
      token: f.admin,
      body: {
        project_id: f.project,
        name: 'pinned',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: template placeholders under test
        compose_file: 'services:\n  web:\n    image: ${IMAGE}@${DIGEST}\n    labels:\n      tag: ${TAG}\n',
      },
    });
    expect(svc.status, svc.text).toBe(201);
    const pip = await p.request('POST', '/ci/pipelines', {
      token: f.admin,
      body: {
        project_id: f.project,
        service_id: svc.json.id,
        provider: 'generic',
        repository: 'jenkins/pinned',
        trigger: 'push',
        image: 'registry.internal/pinned:latest',
      },
    });
    const saved = await p.request('PUT', `/cd/policies/${svc.json.id}/${f.envs.stage}`, {
      token: deployer.token,
      body: { target_ids: [f.targets.stageCompose], auto_preview_on_build: true },
    });
    expect(saved.status, saved.text).toBe(200);
    const send = async (artifact: Record<string, string>) => {
      const body = JSON.stringify({
        run_id: `pinned-${++n}`,
        commit: sha(),
        ref: 'refs/heads/main',
        status: 'succeeded',
        artifacts: [artifact],
      });
      const id = `msg_pinned_${n}`;
      const at = p.clock.now();
      const res = await p.request('POST', `/ci/webhooks/${pip.json.id}`, {
        rawBody: body,
        headers: {
          'content-type': 'application/json',
          'webhook-id': id,
          'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
          'webhook-signature': new Webhook(pip.json.webhook_secret).sign(id, at, body),
        },
      });
      expect(res.status, res.text).toBe(200);
      await cd();
      return deployments(res.json.build_id);
    };
    expect(await send({ image: 'registry.internal:5000/pinned:2.0' })).toEqual([
      expect.objectContaining({ outcome: 'refused', error_code: 'VALIDATION_FAILED', release_id: null }),
    ]);
    const digest = `sha256:${'ab'.repeat(32)}`;
    const [ok] = await send({ image: 'registry.internal:5000/pinned:2.1', digest });
    expect(ok).toMatchObject({ outcome: 'preview', error_code: null });
    const events = (await p.request('GET', `/audit/events?resource_id=${ok!.release_id}`, { token: f.admin }))
      .json.items as { action: string; detail: { variables: Record<string, string> } }[];
    expect(events.find((e) => e.action === 'release.previewed')?.detail.variables).toEqual({
      IMAGE: 'registry.internal:5000/pinned:2.1',
      TAG: '2.1',
      DIGEST: digest,
    });
  });

  it('refuses with the code when the saver lost the permission', async () => {
    const bindings = await p.request('GET', `/role-bindings?user_id=${deployer.id}`, { token: f.admin });
    for (const b of bindings.json.items as { id: string; user_id: string }[])
      if (b.user_id === deployer.id) await p.request('DELETE', `/role-bindings/${b.id}`, { token: f.admin });
    const d = await deliver('4.0');
    await cd();
    expect(await deployments(d.build_id)).toEqual([
      expect.objectContaining({ release_id: null, outcome: 'refused', error_code: 'FORBIDDEN' }),
    ]);
  });
});
