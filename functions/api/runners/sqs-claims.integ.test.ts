/**
 * The platform's claim path on the SQS job queue, end to end: the whole platform configured with
 * K8SM_QUEUE_PREFIX and K8SM_DLQ_ARN, against local-aws-sqs, the SQS wire-protocol peer
 * (test/peers/sqs.ts), spoken to by the real @aws-sdk/client-sqs. The test reads the pool queues
 * with its own client to see what the platform did to them.
 *
 * Two clocks are at work: the platform's is a manual clock (the database lease is checked against
 * it), while SQS visibility runs in real time. A lease running out therefore means both advancing
 * the clock and waiting out the visibility timeout, which is why the lease is the smallest allowed
 * (15 s) and only one test waits for it.
 *
 * PGlite only: the claim's database side runs on both backends in runners.integ.test.ts; what is new here
 * is the queue, and a second backend would only wait out the same real-time lease again.
 */
import { randomBytes } from 'node:crypto';
import * as sdk from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ClaimedJob } from '../../../shared/jobs/claim';
import { createDlq, type SqsPeer, sqsClient, startSqs } from '../../../test/peers/sqs';
import { COMPOSE_FILE } from '../../../test/support/governance';
import { type Material, makeMaterial } from '../../../test/support/material';
import { createTestPlatform, type TestPlatform } from '../../../test/support/platform';
import {
  applyComposeRelease,
  createPool,
  registerRunner,
  type TestRunner,
} from '../../../test/support/runners';
import { sqsQueueName } from '../../platform/queue/sqs-wire';

const LEASE_SECONDS = 15;
const MAX_RECEIVES = 5;
describe('the claim path on SQS (local-aws-sqs)', () => {
  const run = randomBytes(3).toString('hex');
  const prefix = `k8sm-claims-${run}-`;
  let peer: SqsPeer | undefined;
  let client: sdk.SQSClient | undefined;
  let dlqArn: string;
  let p: TestPlatform | undefined;
  let m: Material | undefined;
  let admin: string;
  let pool: string;
  let otherPool: string;
  let service: string;
  let target: string;
  let r1: TestRunner;
  let r2: TestRunner;
  let outsider: TestRunner;

  beforeAll(async () => {
    peer = await startSqs();
    client = await sqsClient(peer);
    // Named outside the prefix, so listing the prefix finds the pool queues alone.
    dlqArn = (await createDlq(client, `k8sm-dlq-${run}`)).arn;
    // The platform's SQS client takes the SDK's own credential chain: the peer checks no signature,
    // but the SDK insists on signing. AWS_PROFILE would make the chain skip the environment.
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'test');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'test');
    vi.stubEnv('AWS_SESSION_TOKEN', undefined);
    vi.stubEnv('AWS_PROFILE', undefined);
    m = makeMaterial();
    p = await createTestPlatform('pglite', {
      K8SM_QUEUE_PREFIX: prefix,
      K8SM_DLQ_ARN: dlqArn,
      K8SM_JOB_LEASE_SECONDS: String(LEASE_SECONDS),
      K8SM_JOB_MAX_RECEIVES: String(MAX_RECEIVES),
      AWS_REGION: peer.region,
      AWS_ENDPOINT_URL: peer.endpoint,
    });
    expect(p.deps.queue.kind).toBe('sqs');
    admin = await p.adminToken();
    const project = (await p.request('POST', '/projects', { token: admin, body: { name: 'shop' } })).json.id;
    const other = (await p.request('POST', '/projects', { token: admin, body: { name: 'other' } })).json.id;
    pool = await createPool(p, admin, 'private-net', project);
    otherPool = await createPool(p, admin, 'elsewhere', other);
    const env = await p.request('POST', '/environments', {
      token: admin,
      body: { project_id: project, name: 'dev', tier: 'development', runner_pool_id: pool },
    });
    expect(env.status, env.text).toBe(201);
    const cred = await p.request('POST', '/credentials', {
      token: admin,
      body: {
        project_id: project,
        name: 'deploy',
        kind: 'ssh_private_key',
        payload: { private_key: m.plainKey.private_key },
      },
    });
    expect(cred.status, cred.text).toBe(201);
    const host = await p.request('POST', '/hosts', {
      token: admin,
      body: {
        project_id: project,
        name: 'h1',
        address: '127.0.0.1',
        port: 2222,
        username: 'deploy',
        credential_id: cred.json.id,
      },
    });
    expect(host.status, host.text).toBe(201);
    const t = await p.request('POST', '/deploy/targets', {
      token: admin,
      body: {
        project_id: project,
        environment_id: env.json.id,
        name: 'dev-compose',
        runtime_type: 'compose',
        host_ids: [host.json.id],
        compose_project: 'web',
      },
    });
    expect(t.status, t.text).toBe(201);
    target = t.json.id;
    service = (
      await p.request('POST', '/services', {
        token: admin,
        body: { project_id: project, name: 'web', compose_file: COMPOSE_FILE, secret_variables: ['API_KEY'] },
      })
    ).json.id;
    r1 = await registerRunner(p, admin, pool, 'r1');
    r2 = await registerRunner(p, admin, pool, 'r2');
    outsider = await registerRunner(p, admin, otherPool, 'x');
  });
  afterAll(async () => {
    await p?.deps.queue.close();
    await p?.close();
    m?.cleanup();
    client?.destroy();
    await peer?.stop();
    vi.unstubAllEnvs();
  });

  const urlOf = async (poolId: string) => {
    const out = await client!.send(new sdk.GetQueueUrlCommand({ QueueName: sqsQueueName(prefix, poolId) }));
    return out.QueueUrl!;
  };
  /**
   * What the pool's queue holds: waiting to be received, and received but not yet deleted.
   * local-aws-sqs counts a message in flight in ApproximateNumberOfMessages as well (Amazon SQS
   * counts only those it would hand out), so what waits is the difference here.
   */
  async function messages(poolId: string) {
    const { Attributes: a } = await client!.send(
      new sdk.GetQueueAttributesCommand({
        QueueUrl: await urlOf(poolId),
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    const inFlight = Number(a?.ApproximateNumberOfMessagesNotVisible);
    return { waiting: Number(a?.ApproximateNumberOfMessages) - inFlight, inFlight };
  }
  const jobRow = async (id: string) =>
    (
      await p!.deps.database.query<{ status: string; attempts: number; lease_token: number }>(
        'select status, attempts, lease_token from jobs where id = $1',
        [id],
      )
    )[0];

  const applyRelease = async () => (await applyComposeRelease(p!, admin, service, target)).id;
  const lifecycle = async (id: string) =>
    (await p!.request('GET', `/deploy/releases/${id}`, { token: admin })).json.lifecycle_state;
  const complete = (runner: TestRunner, c: ClaimedJob, leaseToken = c.job.lease_token) =>
    runner.call('POST', `/runner/jobs/${c.job.id}/complete`, {
      lease_token: leaseToken,
      status: 'succeeded',
    });

  it("creates each pool's queue, redriving to the dead-letter queue", async () => {
    const listed = await client!.send(new sdk.ListQueuesCommand({ QueueNamePrefix: prefix }));
    expect(listed.QueueUrls?.sort()).toEqual([await urlOf(pool), await urlOf(otherPool)].sort());
    for (const id of [pool, otherPool]) {
      const { Attributes } = await client!.send(
        new sdk.GetQueueAttributesCommand({ QueueUrl: await urlOf(id), AttributeNames: ['RedrivePolicy'] }),
      );
      expect(JSON.parse(Attributes?.RedrivePolicy ?? '{}')).toEqual({
        deadLetterTargetArn: dlqArn,
        maxReceiveCount: MAX_RECEIVES,
      });
    }
  });

  it('sends the message on apply, keeps it in flight while the claim holds, deletes it on completion', async () => {
    const rel = await applyRelease();
    expect(await messages(pool)).toEqual({ waiting: 1, inFlight: 0 });

    // The other pool's runner polls its own queue only.
    expect(await outsider.claim(1)).toBeNull();
    expect(await messages(pool)).toEqual({ waiting: 1, inFlight: 0 });
    expect(await messages(otherPool)).toEqual({ waiting: 0, inFlight: 0 });

    const c = await r1.claim(2);
    expect(c?.job).toMatchObject({ kind: 'release_apply', lease_token: 1, attempt: 1 });
    expect(c?.job.payload.release_id).toBe(rel);
    expect(await lifecycle(rel)).toBe('applying');
    expect(await messages(pool)).toEqual({ waiting: 0, inFlight: 1 });

    const hb = await r1.call('POST', `/runner/jobs/${c!.job.id}/heartbeat`, { lease_token: 1 });
    expect(hb.status, hb.text).toBe(200);
    expect(await messages(pool)).toEqual({ waiting: 0, inFlight: 1 });

    const done = await complete(r1, c!);
    expect(done.status, done.text).toBe(200);
    expect(await lifecycle(rel)).toBe('applied');
    expect(await messages(pool)).toEqual({ waiting: 0, inFlight: 0 });
  });

  it('takes a waiting message even when the claim does not wait', async () => {
    const rel = await applyRelease();
    // One short poll. The peer answers it from every message it holds; Amazon SQS samples some of
    // its servers, so there a zero-wait claim may miss a message that the next one gets.
    const c = await r1.claim(0);
    expect(c?.job.payload.release_id).toBe(rel);
    expect(await messages(pool)).toEqual({ waiting: 0, inFlight: 1 });
    expect((await complete(r1, c!)).status).toBe(200);
    expect(await r1.claim(0)).toBeNull();
  });

  it('acks away a message naming a job that is already finished', async () => {
    const rel = await applyRelease();
    const c = await r1.claim(2);
    expect(c?.job.payload.release_id).toBe(rel);
    expect((await complete(r1, c!)).status).toBe(200);
    const finished = await jobRow(c!.job.id);

    // At-least-once delivery: the same job named again, as a duplicate send would.
    await client!.send(
      new sdk.SendMessageCommand({
        QueueUrl: await urlOf(pool),
        MessageBody: JSON.stringify({ job_id: c!.job.id }),
      }),
    );
    expect(await messages(pool)).toEqual({ waiting: 1, inFlight: 0 });
    expect(await r2.claim(1)).toBeNull();
    expect(await messages(pool)).toEqual({ waiting: 0, inFlight: 0 });
    expect(await jobRow(c!.job.id)).toEqual(finished);
    expect(finished).toMatchObject({ status: 'succeeded', attempts: 1, lease_token: 1 });
  });

  it('redelivers after a lease without heartbeats ran out; the second runner takes over and the first is fenced', {
    timeout: 60_000,
  }, async () => {
    const rel = await applyRelease();
    const c1 = await r1.claim(2);
    expect(c1?.job).toMatchObject({ lease_token: 1, attempt: 1 });
    const claimedAt = performance.now();

    // One heartbeat a little later moves the message's return to LEASE_SECONDS from then; after
    // that the runner goes silent.
    await new Promise((r) => setTimeout(r, 4_000));
    expect((await r1.call('POST', `/runner/jobs/${c1!.job.id}/heartbeat`, { lease_token: 1 })).status).toBe(
      200,
    );
    const waiting = r2.claim(25);
    p!.clock.advance((LEASE_SECONDS + 1) * 1000);
    const c2 = await waiting;
    const waited = performance.now() - claimedAt;

    expect(c2?.job.id).toBe(c1!.job.id);
    expect(c2?.job).toMatchObject({ lease_token: 2, attempt: 2 });
    expect(c2?.job.payload.release_id).toBe(rel);
    // Without the heartbeat's extension the message would have come back LEASE_SECONDS after the claim.
    expect(waited).toBeGreaterThan((LEASE_SECONDS + 2.5) * 1000);
    expect(await messages(pool)).toEqual({ waiting: 0, inFlight: 1 });

    const late = (path: string, body: Record<string, unknown>) =>
      r1.call('POST', `/runner/jobs/${c1!.job.id}/${path}`, { lease_token: 1, ...body });
    for (const res of [
      await late('heartbeat', {}),
      await late('steps', { name: 'compose.up', attempt: 1, status: 'running' }),
      await late('complete', { status: 'succeeded' }),
    ]) {
      expect(res.status).toBe(409);
      expect(res.json.error.code).toBe('LEASE_LOST');
    }
    expect(await messages(pool)).toEqual({ waiting: 0, inFlight: 1 });

    const done = await complete(r2, c2!);
    expect(done.status, done.text).toBe(200);
    expect(await lifecycle(rel)).toBe('applied');
    expect(await messages(pool)).toEqual({ waiting: 0, inFlight: 0 });
    expect(await jobRow(c1!.job.id)).toMatchObject({ status: 'succeeded', attempts: 2, lease_token: 2 });
  });
});
