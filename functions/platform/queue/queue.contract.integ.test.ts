/**
 * The job queue contract, run against both adapters. The Postgres queue needs no database (it only
 * wakes claimers). The SQS queue runs against local-aws-sqs, the SQS wire-protocol peer
 * (test/peers/sqs.ts), through the real @aws-sdk/client-sqs; where that peer differs from Amazon
 * SQS (see its header) the tests say so and assert only what both do. What only SQS has (redelivery,
 * visibility, dead-lettering, foreign messages) is in sqs.integ.test.ts, against the same peer.
 */
import { randomBytes } from 'node:crypto';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDlq, type SqsPeer, sqsClient, startSqs } from '../../../test/peers/sqs';
import { postgresQueue } from './postgres';
import { sqsQueue } from './sqs';
import type { JobQueue } from './types';

const PREFIX = 'k8sm-test-';
const jobId = () => `job_${randomBytes(8).toString('hex')}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function timed<T>(p: Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const v = await p;
  return [v, performance.now() - t0];
}

type Harness = {
  /** A queue of this kind; `close()`d by the test that makes it, the shared one by afterAll. */
  make(): JobQueue;
  /** What a delivery for the job names: the job (SQS) or "look at the table" (Postgres). */
  named(id: string): string | null;
  firstReceiveCount: number;
  /** How long after publish a receive already waiting may take to return. */
  promptMs: number;
};

let peer: SqsPeer | undefined;
let client: SQSClient;
let dlqArn: string;

beforeAll(async () => {
  peer = await startSqs();
  client = await sqsClient(peer);
  dlqArn = (await createDlq(client, `${PREFIX}dlq`)).arn;
});
afterAll(async () => {
  client?.destroy();
  await peer?.stop();
});

const harnesses: Record<'postgres' | 'sqs', () => Harness> = {
  // Polls far apart: only publish may wake a claimer in these tests (polling is tested in postgres.test.ts).
  postgres: () => ({
    make: () => postgresQueue({ pollMs: 60_000 }),
    named: () => null,
    firstReceiveCount: 0,
    promptMs: 25,
  }),
  sqs: () => ({
    make: () => sqsQueue({ prefix: PREFIX, dlqArn, client }),
    named: (id) => id,
    firstReceiveCount: 1,
    promptMs: 1000,
  }),
};

describe.each(['postgres', 'sqs'] as const)('the %s job queue', (kind) => {
  let h: Harness;
  let q: JobQueue;
  const newPool = async (queue = q) => {
    const pool = `pool_${randomBytes(6).toString('hex')}`;
    await queue.createPool(pool);
    return pool;
  };
  const opts = (waitMs: number, signal?: AbortSignal) => ({ waitMs, visibilitySeconds: 30, signal });
  beforeAll(() => {
    h = harnesses[kind]();
    q = h.make();
  });
  afterAll(() => q?.close());

  it('hands a receive already waiting the published job promptly', async () => {
    const pool = await newPool();
    const id = jobId();
    const waiting = q.receive(pool, opts(5000));
    await sleep(100);
    const [delivery, ms] = await timed(q.publish(pool, [id]).then(() => waiting));
    expect(ms).toBeLessThan(h.promptMs);
    expect(delivery).toMatchObject({ jobId: h.named(id), receiveCount: h.firstReceiveCount });
    if (delivery?.receipt) await q.ack(pool, delivery.receipt);
  });

  it('returns null once waitMs has passed with nothing published', async () => {
    const pool = await newPool();
    const [delivery, ms] = await timed(q.receive(pool, opts(800)));
    expect(delivery).toBeNull();
    expect(ms).toBeGreaterThanOrEqual(780);
    // SQS waits whole seconds.
    expect(ms).toBeLessThan(2500);
  });

  it('keeps pools apart: a job for pool A is never received from pool B', async () => {
    const [a, b] = [await newPool(), await newPool()];
    const id = jobId();
    const fromA = q.receive(a, opts(5000));
    const fromB = q.receive(b, opts(1000));
    await sleep(100);
    await q.publish(a, [id]);
    expect((await fromA)?.jobId).toBe(h.named(id));
    expect(await fromB).toBeNull();
  });

  it('ends a receive early with null when its signal aborts, or at once when it had', async () => {
    const pool = await newPool();
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    const [delivery, ms] = await timed(q.receive(pool, opts(10_000, ac.signal)));
    expect(delivery).toBeNull();
    expect(ms).toBeLessThan(1000);
    const [again, ms2] = await timed(q.receive(pool, opts(10_000, ac.signal)));
    expect(again).toBeNull();
    expect(ms2).toBeLessThan(100);
  });

  it('ends receives in flight with null when closed, and creating a pool twice is harmless', async () => {
    const own = h.make();
    const pool = await newPool(own);
    await own.createPool(pool);
    const waiting = own.receive(pool, opts(10_000));
    await sleep(100);
    const [delivery, ms] = await timed(own.close().then(() => waiting));
    expect(delivery).toBeNull();
    expect(ms).toBeLessThan(1000);
  });
});
