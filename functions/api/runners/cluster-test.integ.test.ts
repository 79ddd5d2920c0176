/**
 * `POST /clusters/:id/test-connection` end to end: the job runs on the cluster's pool, the runner
 * gets the cluster's access (server, CA and the imported credential) only inside its sealed box,
 * and what it reports becomes the cluster's `last_test`. Nothing listens at the cluster address:
 * the test plays the runner and reports the outcome itself. On Postgres, a completion also meets a
 * credential rotation holding the cluster row, to show the two take their locks in one order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClaimedJob } from '../../../shared/jobs/claim';
import { backends } from '../../../test/support/databases';
import { type Material, makeMaterial } from '../../../test/support/material';
import { createTestPlatform, type TestPlatform } from '../../../test/support/platform';
import { createPool, registerRunner, type TestRunner } from '../../../test/support/runners';
import { openPostgres } from '../../platform/db/postgres';
import type { Database } from '../../platform/db/types';
import { recordEvent } from '../audit/writer';
import { updateCluster } from '../clusters/repo';

const SERVER = 'https://127.0.0.1:6443';

describe.each(await backends())('cluster connection tests on %s', (backend) => {
  let p: TestPlatform;
  let m: Material;
  let admin: string;
  let project: string;
  let pool: string;
  let runner: TestRunner;

  beforeAll(async () => {
    // Material first: the platform's clock must not start before the test certificates' notBefore.
    m = makeMaterial();
    p = await createTestPlatform(backend);
    admin = await p.adminToken();
    project = (await p.request('POST', '/projects', { token: admin, body: { name: 'clusters' } })).json.id;
    pool = await createPool(p, admin, 'cluster-net', project);
    runner = await registerRunner(p, admin, pool, 'r1');
  });
  afterAll(async () => {
    await p?.close();
    m?.cleanup();
  });

  let n = 0;
  async function importCluster(body: Record<string, unknown>) {
    const res = await p.request('POST', '/clusters/import', {
      token: admin,
      body: { project_id: project, name: `c-${++n}`, endpoint: SERVER, ca: m.pki.caPem, ...body },
    });
    expect(res.status, res.text).toBe(201);
    return res.json.id as string;
  }
  const cluster = async (id: string) => (await p.request('GET', `/clusters/${id}`, { token: admin })).json;

  async function requestTest(id: string) {
    const res = await p.request('POST', `/clusters/${id}/test-connection`, { token: admin, body: {} });
    expect(res.status, res.text).toBe(202);
    expect(res.json).toEqual({ job_id: expect.stringMatching(/^job_/), status: 'queued' });
    return res.json.job_id as string;
  }

  /** Claims the queued test, checks it is the one asked for, and returns its opened work order. */
  async function claimTest(clusterId: string, jobId: string) {
    const c = await runner.claim();
    expect(c?.job).toMatchObject({ id: jobId, kind: 'cluster_test', payload: { cluster_id: clusterId } });
    const order = runner.open(c!);
    if (order.kind !== 'cluster_test') throw new Error(`expected a cluster_test, got ${order.kind}`);
    return { claim: c!, cluster: order.cluster };
  }

  const complete = (c: ClaimedJob, body: Record<string, unknown>) =>
    runner.call('POST', `/runner/jobs/${c.job.id}/complete`, { lease_token: c.job.lease_token, ...body });

  it('hands a token cluster to its pool and records what the runner measured', async () => {
    const id = await importCluster({ mode: 'token', token: m.token, runner_pool_id: pool });
    const jobId = await requestTest(id);
    const { claim, cluster: access } = await claimTest(id, jobId);
    expect(access).toEqual({ id, server: SERVER, ca: m.pki.caPem, auth: { kind: 'token', token: m.token } });
    expect(JSON.stringify(claim)).not.toContain(m.token);

    const done = await complete(claim, {
      status: 'succeeded',
      result: { reachable: true, version: 'v1.30.1', latency_ms: 7 },
    });
    expect(done.status, done.text).toBe(200);
    expect((await cluster(id)).last_test).toEqual({
      reachable: true,
      version: 'v1.30.1',
      latency_ms: 7,
      error_code: null,
      job_id: jobId,
      tested_at: p.clock.now().toISOString(),
    });
    const events = await p.request('GET', `/audit/events?resource_id=${id}`, { token: admin });
    const tested = events.json.items.find((e: { action: string }) => e.action === 'cluster.tested');
    expect(tested).toMatchObject({ source: 'runner', status: 'succeeded' });
  });

  it('records a failed test as unreachable with its error code, whatever the result claimed', async () => {
    const id = await importCluster({ mode: 'token', token: m.token, runner_pool_id: pool });
    const first = await requestTest(id);
    const ok = await claimTest(id, first);
    await complete(ok.claim, {
      status: 'succeeded',
      result: { reachable: true, version: 'v1.30.1', latency_ms: 7 },
    });

    p.clock.advance(5_000);
    const second = await requestTest(id);
    const failed = await claimTest(id, second);
    const done = await complete(failed.claim, {
      status: 'failed',
      error_code: 'TLS_UNTRUSTED',
      result: { reachable: true, version: null, latency_ms: 3 },
    });
    expect(done.status, done.text).toBe(200);
    // The newer outcome replaces the older one entirely.
    expect((await cluster(id)).last_test).toEqual({
      reachable: false,
      version: null,
      latency_ms: 3,
      error_code: 'TLS_UNTRUSTED',
      job_id: second,
      tested_at: p.clock.now().toISOString(),
    });
  });

  it('hands a certificate-set cluster over with its client certificate and key', async () => {
    const id = await importCluster({
      mode: 'cert_set',
      cert: m.pki.clientCertPem,
      key: m.pki.clientKeyPem,
      runner_pool_id: pool,
    });
    const jobId = await requestTest(id);
    const { claim, cluster: access } = await claimTest(id, jobId);
    expect(access).toEqual({
      id,
      server: SERVER,
      ca: m.pki.caPem,
      auth: { kind: 'client_cert', cert: m.pki.clientCertPem, key: m.pki.clientKeyPem },
    });
    expect(JSON.stringify(claim)).not.toContain(m.pki.clientKeyPem);
    const done = await complete(claim, {
      status: 'succeeded',
      result: { reachable: true, version: 'v1.29.4', latency_ms: 11 },
    });
    expect(done.status, done.text).toBe(200);
    expect((await cluster(id)).last_test).toMatchObject({
      reachable: true,
      version: 'v1.29.4',
      latency_ms: 11,
      error_code: null,
      job_id: jobId,
    });
  });

  it('refuses a test of a cluster bound to no pool, and queues nothing', async () => {
    const id = await importCluster({ mode: 'token', token: m.token });
    const res = await p.request('POST', `/clusters/${id}/test-connection`, { token: admin, body: {} });
    expect([res.status, res.json.error.code]).toEqual([409, 'NO_RUNNER_POOL']);
    expect(await runner.claim()).toBeNull();
    expect((await cluster(id)).last_test).toBeNull();
  });

  // Only Postgres has a second connection to hold the row with (PGlite has one): the case exists
  // there alone rather than being reported as skipped.
  if (backend === 'postgres')
    it('completes a test while a credential rotation holds the cluster row, without a deadlock', async () => {
      const id = await importCluster({ mode: 'token', token: m.token, runner_pool_id: pool });
      const credentialId = (await cluster(id)).credential_id as string;
      const jobId = await requestTest(id);
      const { claim } = await claimTest(id, jobId);

      // A second connection plays a rotation of the cluster's credential, in its lock order: the
      // cluster row first (recheckClusters refreshes it), then the audit chain (its event).
      const rotation = openPostgres({ url: p.databaseUrl!, max: 2 });
      try {
        let completing: ReturnType<typeof complete> | undefined;
        await rotation.db.transaction(async (tx) => {
          await updateCluster(tx, id, { updatedAt: p.clock.now() });
          completing = complete(claim, {
            status: 'succeeded',
            result: { reachable: true, version: 'v1.30.1', latency_ms: 7 },
          });
          await lockWaiters(rotation, 1);
          await recordEvent(tx, p.clock, {
            action: 'credential.rotated',
            resourceType: 'credential',
            resourceId: credentialId,
            projectId: project,
            actor: { userId: null, source: 'system' },
          });
        });
        const done = await completing!;
        expect(done.status, done.text).toBe(200);
        expect((await cluster(id)).last_test).toMatchObject({ reachable: true, job_id: jobId });
      } finally {
        await rotation.close();
      }
    });
});

/** Waits until `n` sessions of the test database wait for a lock (the completion is blocked). */
async function lockWaiters(db: Pick<Database, 'query'>, n: number) {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const [row] = await db.query<{ n: number }>(
      `select count(*)::int as n from pg_stat_activity
        where datname = current_database() and wait_event_type = 'Lock'`,
    );
    if ((row?.n ?? 0) >= n) return;
    if (Date.now() > deadline) throw new Error('the completion never waited for a lock');
    await new Promise((r) => setTimeout(r, 25));
  }
}
