import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { backends } from '../../../test/support/databases';
import { COMPOSE_FILE, composeVars } from '../../../test/support/governance';
import { type InstallFixture, installFixture, TEST_MANIFEST } from '../../../test/support/installs';
import { b64 } from '../../../test/support/pki';
import { defaultManifestPaths, readManifest } from './manifest';

describe.each(await backends())('install task lifecycle on %s', (backend) => {
  let f: InstallFixture;
  beforeAll(async () => {
    f = await installFixture(backend, 10);
  });
  afterAll(() => f.close());

  const post = (path: string, body?: unknown, token = f.requester.token) =>
    f.p.request('POST', `/environments/${f.envs.dev}${path}`, { token, ...(body ? { body } : {}) });
  const installed = async (hostIds: string[], runtime = 'compose', version = '24.0.5-test') => {
    const res = await f.install(f.envs.dev, { runtime, version, host_ids: hostIds });
    expect(res.status, res.text).toBe(202);
    return res.json.id as string;
  };

  it('retries a failed task as a new job that resumes at the failed step, and pages its logs', async () => {
    const [h0] = f.hosts as [string];
    const id = await installed([h0]);
    const first = await f.claimFor(id);
    await f.step(first, 'preflight', h0, 'succeeded', { output: 'x'.repeat(2000) });
    await f.step(first, 'upload', h0, 'failed', {
      error_code: 'CHECKSUM_MISMATCH',
      output: 'sha256 differs',
    });
    await f.complete(first, { status: 'failed', error_code: 'CHECKSUM_MISMATCH' });
    const failed = await f.task(f.envs.dev, id);
    expect(failed).toMatchObject({ status: 'failed', current_step: `install.upload.${h0}` });
    expect(failed.result.error_code).toBe('CHECKSUM_MISMATCH');
    expect(failed.steps[0].steps[1]).toMatchObject({
      name: 'upload',
      status: 'failed',
      error_code: 'CHECKSUM_MISMATCH',
    });
    expect(failed.steps[0].steps[0].log_excerpt).toHaveLength(500);
    const failedEvent = (
      await f.p.request(
        'GET',
        `/audit/events?action=environment.install_step_failed&resource_id=${f.envs.dev}`,
        {
          token: f.admin,
        },
      )
    ).json.items[0];
    expect(failedEvent.detail).toMatchObject({
      task_id: id,
      host_id: h0,
      step: 'upload',
      error_code: 'CHECKSUM_MISMATCH',
    });

    const retry = await post(`/install/tasks/${id}/retry`);
    expect(retry.status, retry.text).toBe(202);
    expect(retry.json.status).toBe('queued');
    expect(retry.json.job_id).not.toBe(failed.job_id);
    expect((await post(`/install/tasks/${id}/retry`)).status).toBe(409);
    const second = await f.claimFor(id);
    expect(second.job.id).toBe(retry.json.job_id);
    await f.step(second, 'preflight', h0, 'skipped');
    await f.step(second, 'upload', h0, 'succeeded', { output: 'uploaded' });
    const view = await f.task(f.envs.dev, id);
    expect(view.steps[0].steps.slice(0, 2)).toMatchObject([
      { name: 'preflight', status: 'skipped', attempt: 2 },
      { name: 'upload', status: 'succeeded', attempt: 2, error_code: null },
    ]);
    await f.complete(second, { status: 'failed', error_code: 'TIMEOUT' });
    const audit = await f.p.request(
      'GET',
      `/audit/events?resource_type=install_task&resource_id=${id}&action=install_task.retried`,
      {
        token: f.admin,
      },
    );
    expect(audit.json.items).toHaveLength(1);

    // Logs: every output in order, whole, across both jobs.
    const seen: any[] = [];
    let cursor: string | null = null;
    do {
      const q: string = cursor ? `&cursor=${cursor}` : '';
      const page = await f.p.request(
        'GET',
        `/environments/${f.envs.dev}/install/tasks/${id}/logs?limit=3${q}`,
        {
          token: f.admin,
        },
      );
      expect(page.status).toBe(200);
      expect(page.json.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.json.items);
      cursor = page.json.next_cursor;
    } while (cursor);
    expect(seen.map((s) => `${s.step}:${s.status}`)).toEqual([
      'preflight:succeeded',
      'upload:failed',
      'preflight:skipped',
      'upload:succeeded',
    ]);
    expect(seen[0]).toMatchObject({ host_id: h0, output: 'x'.repeat(2000) });
  });

  it('rolls a task back as a new task, and marks the original rolled_back when it succeeds', async () => {
    const [, h1] = f.hosts as string[];
    const id = await installed([h1!]);
    const c = await f.claimFor(id);
    await f.runAll(c, [h1!]);
    await f.complete(c, f.succeeded([h1!]));
    const rb = await post(`/install/tasks/${id}/rollback`);
    expect(rb.status, rb.text).toBe(202);
    expect(rb.json).toMatchObject({ action: 'rollback', rollback_of: id, status: 'queued', host_ids: [h1] });
    expect((await post(`/install/tasks/${id}/rollback`)).status).toBe(409);
    const rc = await f.claimFor(rb.json.id);
    const order = f.runner.open(rc);
    expect(order.kind === 'environment_install' && order.install.action).toBe('rollback');
    await f.complete(rc, f.succeeded([h1!]));
    expect((await f.task(f.envs.dev, rb.json.id)).status).toBe('succeeded');
    expect((await f.task(f.envs.dev, id)).status).toBe('rolled_back');
    expect((await post(`/install/tasks/${rb.json.id}/rollback`)).status).toBe(409);
  });

  it('uninstalls what the newest succeeded install put on the hosts', async () => {
    const [, , h2, h3] = f.hosts as string[];
    expect((await post('/uninstall', { host_ids: [h3] })).status).toBe(422);
    const id = await installed([h2!], 'compose', '25.0.1-test');
    const c = await f.claimFor(id);
    await f.complete(c, f.succeeded([h2!]));
    const un = await post('/uninstall', { host_ids: [h2] });
    expect(un.status, un.text).toBe(202);
    expect(un.json).toMatchObject({
      action: 'uninstall',
      runtime: 'compose',
      version: '25.0.1-test',
      host_ids: [h2],
    });
    const uc = await f.claimFor(un.json.id);
    await f.complete(uc, { status: 'succeeded' });
    const done = await f.task(f.envs.dev, un.json.id);
    const installedTarget = (await f.task(f.envs.dev, id)).registered.target_id;
    expect(done).toMatchObject({
      status: 'succeeded',
      registered: { retired: { target_ids: [installedTarget], cluster_ids: [], warnings: [] } },
    });
  });

  const get = (path: string) => f.p.request('GET', path, { token: f.admin });
  const deletions = async (resourceId: string) =>
    (await get(`/audit/events?resource_id=${resourceId}&limit=50`)).json.items.filter(
      (e: { action: string }) => e.action.endsWith('.deleted'),
    );

  it('retires the cluster and target a k8s install registered when it is rolled back', async () => {
    const h5 = f.hosts[5]!;
    const id = await installed([h5], 'k8s', '1.29.0-test');
    const c = await f.claimFor(id);
    await f.complete(
      c,
      f.succeeded([h5], { admin_kubeconfig: f.m.kubeconfig(f.m.certUser, 'https://10.1.0.5:6443') }),
    );
    const { target_id, cluster_id } = (await f.task(f.envs.dev, id)).registered;
    expect((await get(`/clusters/${cluster_id}`)).status).toBe(200);
    const rb = await post(`/install/tasks/${id}/rollback`);
    expect(rb.status, rb.text).toBe(202);
    // Nothing is retired before the rollback has succeeded on the hosts.
    expect((await get(`/deploy/targets/${target_id}`)).status).toBe(200);
    await f.complete(await f.claimFor(rb.json.id), f.succeeded([h5]));
    expect((await f.task(f.envs.dev, rb.json.id)).registered).toEqual({
      retired: { target_ids: [target_id], cluster_ids: [cluster_id], warnings: [] },
    });
    expect((await get(`/deploy/targets/${target_id}`)).status).toBe(404);
    expect((await get(`/clusters/${cluster_id}`)).status).toBe(404);
    for (const [rid, action] of [
      [target_id, 'target.deleted'],
      [cluster_id, 'cluster.deleted'],
    ]) {
      const [e] = await deletions(rid);
      expect(e).toMatchObject({
        action,
        detail: { install_task_id: rb.json.id, registered_by: id, action: 'rollback' },
      });
    }
    const retired = await get(`/audit/events?action=install_task.retired&resource_id=${rb.json.id}`);
    expect(retired.json.items).toHaveLength(1);
  });

  it('refuses to uninstall (409 IN_USE) while a release is in flight on the registered target, then retires it', async () => {
    const h6 = f.hosts[6]!;
    const id = await installed([h6], 'compose', '25.0.1-test');
    await f.complete(await f.claimFor(id), f.succeeded([h6]));
    const targetId = (await f.task(f.envs.dev, id)).registered.target_id as string;
    const service = await f.p.request('POST', '/services', {
      token: f.admin,
      body: {
        project_id: f.project,
        name: 'retire-web',
        compose_file: COMPOSE_FILE,
        secret_variables: ['API_KEY'],
      },
    });
    const pv = await f.p.request('POST', '/deploy/releases/preview', {
      token: f.admin,
      body: { service_id: service.json.id, target_id: targetId, variables: composeVars('1.0') },
    });
    expect(pv.status, pv.text).toBe(201);
    const ap = await f.p.request('POST', '/deploy/releases/apply', {
      token: f.admin,
      body: { preview_ref: pv.json.preview_ref },
    });
    expect(['approved', 'pending_approval'], ap.text).toContain(ap.json.lifecycle_state);

    const refused = await post('/uninstall', { host_ids: [h6] });
    expect(refused.status, refused.text).toBe(409);
    expect(refused.json.error.code).toBe('IN_USE');
    expect(refused.json.error.message).toContain('1 unfinished release(s)');
    const rollback = await post(`/install/tasks/${id}/rollback`);
    expect(rollback.status).toBe(409);
    expect(rollback.json.error.code).toBe('IN_USE');
    expect((await get(`/deploy/targets/${targetId}`)).status).toBe(200);

    const cancel = await f.p.request('POST', `/deploy/releases/${ap.json.id}/cancel`, { token: f.admin });
    expect(cancel.status, cancel.text).toBe(200);
    const un = await post('/uninstall', { host_ids: [h6] });
    expect(un.status, un.text).toBe(202);
    await f.complete(await f.claimFor(un.json.id), f.succeeded([h6]));
    expect((await get(`/deploy/targets/${targetId}`)).status).toBe(404);
    const [e] = await deletions(targetId);
    expect(e).toMatchObject({
      action: 'target.deleted',
      detail: { install_task_id: un.json.id, action: 'uninstall' },
    });
  });

  it('follows a k8s install with lvs_vip by a VIP task of its own on the control plane, once the install succeeded', async () => {
    const [h7, h8] = f.hosts.slice(7) as [string, string];
    const bad = await f.install(f.envs.dev, {
      runtime: 'k8s',
      version: '1.29.0-test',
      host_ids: [h7],
      options: { lvs_vip: '198.51.100.200' },
    });
    expect(bad.status).toBe(422);
    expect(bad.json.error.fields.map((x: { path: string }) => x.path)).toEqual(['options.lvs_vip']);
    const res = await f.install(f.envs.dev, {
      runtime: 'k8s',
      version: '1.29.0-test',
      host_ids: [h7, h8],
      options: { lvs_vip: '198.51.100.200/32', roles: { [h8]: 'control-plane' } },
    });
    expect(res.status, res.text).toBe(202);
    const id = res.json.id as string;
    const c = await f.claimFor(id);
    const list = async () =>
      (await get(`/environments/${f.envs.dev}/install/tasks?limit=50`)).json.items as any[];
    expect((await list()).filter((t) => t.follows === id)).toEqual([]);
    await f.complete(
      c,
      f.succeeded([h7, h8], { admin_kubeconfig: f.m.kubeconfig(f.m.certUser, 'https://10.1.0.8:6443') }),
    );

    const [vip] = (await list()).filter((t) => t.follows === id);
    expect(vip).toMatchObject({ action: 'vip', status: 'queued', host_ids: [h8], rollback_of: null });
    const vc = await f.claimFor(vip.id);
    const order = f.runner.open(vc);
    if (order.kind !== 'environment_install') throw new Error(order.kind);
    expect(order.install).toMatchObject({
      action: 'vip',
      host_ids: [h8],
      options: { lvs_vip: '198.51.100.200/32' },
    });
    for (const [s, st] of [
      ['preflight', 'succeeded'],
      ['render', 'succeeded'],
    ] as const)
      await f.runner.call('POST', `/runner/jobs/${vc.job.id}/steps`, {
        lease_token: vc.job.lease_token,
        name: `vip.${s}.${h8}`,
        host_id: h8,
        attempt: vc.job.attempt,
        status: st,
      });
    await f.runner.call('POST', `/runner/jobs/${vc.job.id}/steps`, {
      lease_token: vc.job.lease_token,
      name: `vip.vip.${h8}`,
      host_id: h8,
      attempt: vc.job.attempt,
      status: 'failed',
      error_code: 'PREFLIGHT_IPVS',
    });
    await f.complete(vc, { status: 'failed', error_code: 'PREFLIGHT_IPVS' });
    const failed = await f.task(f.envs.dev, vip.id);
    expect(failed).toMatchObject({ status: 'failed', follows: id, current_step: `vip.vip.${h8}` });
    expect(failed.result.error_code).toBe('PREFLIGHT_IPVS');
    expect(
      failed.steps[0].steps.map((s: { name: string; status: string }) => `${s.name}:${s.status}`),
    ).toEqual(['preflight:succeeded', 'render:succeeded', 'vip:failed']);
    // The install stays succeeded; the VIP task is retried on its own, never rolled back.
    expect((await f.task(f.envs.dev, id)).status).toBe('succeeded');
    expect((await post(`/install/tasks/${vip.id}/rollback`)).status).toBe(409);
    const retry = await post(`/install/tasks/${vip.id}/retry`);
    expect(retry.status, retry.text).toBe(202);
    await f.complete(await f.claimFor(vip.id), { status: 'failed', error_code: 'PREFLIGHT_IPVS' });
    const queued = await get(`/audit/events?action=install_task.queued&resource_id=${vip.id}`);
    expect(queued.json.items[0].detail).toMatchObject({ follows: id, vip: '198.51.100.200/32' });
  });

  it('keeps the certificate expiry on the cluster, and a renewal re-seals the admin kubeconfig (202 task, audited)', async () => {
    const h9 = f.hosts[9]!;
    const server = 'https://10.1.0.9:6443';
    const id = await installed([h9], 'k8s', '1.29.0-test');
    const expires = new Date(Date.now() + 20 * 86_400_000).toISOString();
    await f.complete(
      await f.claimFor(id),
      f.succeeded([h9], { admin_kubeconfig: f.m.kubeconfig(f.m.certUser, server), cert_expires_at: expires }),
    );
    const { cluster_id, credential_id } = (await f.task(f.envs.dev, id)).registered;
    const db = f.p.deps.database;
    const meta = async () =>
      (await db.query<{ m: any }>(`select metadata as m from clusters where id = '${cluster_id}'`))[0]!.m;
    expect((await meta()).cert_expires_at).toBe(expires);
    const envelope = async () =>
      (
        await db.query<{ e: string }>(
          `select envelope::text as e from credentials where id = '${credential_id}'`,
        )
      )[0]!.e;
    const sealedBefore = await envelope();

    const renew = await f.p.request('POST', `/clusters/${cluster_id}/certificates/renew`, { token: f.admin });
    expect(renew.status, renew.text).toBe(202);
    expect(renew.json).toMatchObject({ status: 'queued', environment_id: f.envs.dev });
    const again = await f.p.request('POST', `/clusters/${cluster_id}/certificates/renew`, { token: f.admin });
    expect(again.status).toBe(409);
    const c = await f.claimFor(renew.json.task_id);
    const order = f.runner.open(c);
    if (order.kind !== 'environment_install') throw new Error(order.kind);
    expect(order.install).toMatchObject({ action: 'cert_renew', host_ids: [h9] });
    const later = new Date(Date.now() + 365 * 86_400_000).toISOString();
    const renewedConf = f.m.kubeconfig({ token: f.m.token }, server);
    await f.complete(c, f.succeeded([h9], { admin_kubeconfig: renewedConf, cert_expires_at: later }));
    const t = await f.task(f.envs.dev, renew.json.task_id);
    expect(t).toMatchObject({ status: 'succeeded', action: 'cert_renew', follows: id });
    expect(t.registered).toEqual({ cluster_id, credential_id, cert_expires_at: later });
    expect((await meta()).cert_expires_at).toBe(later);
    expect(await envelope()).not.toBe(sealedBefore);
    const events = await get(`/audit/events?action=cluster.certificates_renewed&resource_id=${cluster_id}`);
    expect(events.json.items[0].detail).toMatchObject({
      task_id: renew.json.task_id,
      cert_expires_at: later,
    });
    const asked = await get(
      `/audit/events?action=cluster.certificates_renew_requested&resource_id=${cluster_id}`,
    );
    expect(asked.json.items).toHaveLength(1);
    // The new kubeconfig is stored nowhere but in the sealed credential.
    for (const table of ['jobs', 'audit_events', 'install_tasks'])
      for (const r of await db.query<{ t: string }>(`select row_to_json(x)::text as t from ${table} x`))
        expect(r.t).not.toContain(f.m.token);
  });

  it('renews only what the platform installed', async () => {
    const imported = await f.p.request('POST', '/clusters/import', {
      token: f.admin,
      body: {
        project_id: f.project,
        name: 'outside',
        mode: 'kubeconfig',
        kubeconfig: f.m.kubeconfig(f.m.certUser),
      },
    });
    expect(imported.status, imported.text).toBe(201);
    const r = await f.p.request('POST', `/clusters/${imported.json.id}/certificates/renew`, {
      token: f.admin,
    });
    expect(r.status).toBe(409);
    expect(
      (await f.p.request('POST', '/clusters/cls_nope/certificates/renew', { token: f.admin })).status,
    ).toBe(404);
  });

  it('seals the admin kubeconfig of a k8s install and registers a platform_managed cluster and target', async () => {
    const [, , , , h4] = f.hosts as string[];
    const kubeconfig = f.m.kubeconfig(f.m.certUser, 'https://10.1.0.1:6443');
    const id = await installed([h4!], 'k8s', '1.29.0-test');
    const c = await f.claimFor(id);
    await f.complete(c, f.succeeded([h4!], { admin_kubeconfig: kubeconfig }));
    const t = await f.task(f.envs.dev, id);
    expect(t.status).toBe('succeeded');
    expect(t.registered).toMatchObject({
      cluster_id: expect.stringMatching(/^cls_/),
      target_id: expect.stringMatching(/^tgt_/),
      credential_id: expect.stringMatching(/^cred_/),
    });
    const cluster = await f.p.request('GET', `/clusters/${t.registered.cluster_id}`, { token: f.admin });
    expect(cluster.json).toMatchObject({
      cluster_source: 'platform_managed',
      server: 'https://10.1.0.1:6443',
    });
    const target = await f.p.request('GET', `/deploy/targets/${t.registered.target_id}`, { token: f.admin });
    expect(target.json).toMatchObject({
      runtime_type: 'k8s',
      cluster_id: t.registered.cluster_id,
      namespace: 'default',
    });
    const cred = await f.p.request('GET', `/credentials/${t.registered.credential_id}`, { token: f.admin });
    expect(cred.json.kind).toBe('kubeconfig');

    // Stored nowhere but in the sealed credential: not in the job row, not in any event.
    const db = f.p.deps.database;
    const key = b64(f.m.pki.clientKeyPem);
    for (const table of ['jobs', 'audit_events', 'install_tasks']) {
      const rows = await db.query<{ t: string }>(`select row_to_json(x)::text as t from ${table} x`);
      for (const r of rows) {
        expect(r.t).not.toContain(key);
        expect(r.t).not.toContain(JSON.stringify(kubeconfig).slice(1, 60));
      }
    }
  });

  it('records a kubeconfig the import guard refuses as a warning, and the install still succeeds', async () => {
    const [h3] = f.hosts.slice(3) as [string];
    const id = await installed([h3], 'k8s', '1.29.0-test');
    const c = await f.claimFor(id);
    const refused = stringify({
      clusters: [
        {
          name: 'c',
          cluster: { server: 'http://10.1.0.1:6443', 'certificate-authority-data': b64(f.m.pki.caPem) },
        },
      ],
      users: [{ name: 'u', user: f.m.certUser }],
      contexts: [{ name: 'c', context: { cluster: 'c', user: 'u' } }],
      'current-context': 'c',
    });
    f.m.registerSecret(refused);
    await f.complete(c, f.succeeded([h3], { admin_kubeconfig: refused }));
    const t = await f.task(f.envs.dev, id);
    expect(t.status).toBe('succeeded');
    expect(t.registered.warning.code).toBe('CLUSTER_GUARD_REFUSED');
    expect(t.registered.warning.fields.map((x: { path: string }) => x.path)).toContain(
      'kubeconfig.clusters[0].cluster.server',
    );
  });
});

describe('the bundle manifest', () => {
  it('parses the test manifest through the loader', async () => {
    const { Manifest } = await import('../../../shared/install/manifest');
    expect(Manifest.parse(TEST_MANIFEST).bundles).toHaveLength(3);
  });
  const real = defaultManifestPaths().find((p) => existsSync(p));
  it.skipIf(!real)('reads the shipped script/manifests/index.yaml', async () => {
    const m = await readManifest(real!);
    expect(m.bundles.length).toBeGreaterThan(0);
  });
});
