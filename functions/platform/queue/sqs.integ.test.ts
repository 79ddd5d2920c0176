/**
 * The SQS queue beyond the shared contract (queue.contract.integ.test.ts): redelivery after the
 * visibility timeout, extension, acknowledgement, dead-lettering, foreign messages, batching. It
 * runs against local-aws-sqs, the SQS wire-protocol peer (test/peers/sqs.ts), through the real
 * @aws-sdk/client-sqs; where the peer differs from Amazon SQS the test says so.
 */
import { randomBytes } from 'node:crypto';
import type { SQSClient } from '@aws-sdk/client-sqs';
import * as sdk from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDlq, type SqsPeer, sqsClient, startSqs } from '../../../test/peers/sqs';
import { sqsQueue } from './sqs';
import { sqsQueueName } from './sqs-wire';
import type { JobQueue } from './types';

const PREFIX = 'k8sm-test-';
const jobId = () => `job_${randomBytes(8).toString('hex')}`;
async function timed<T>(p: Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const v = await p;
  return [v, performance.now() - t0];
}

let peer: SqsPeer | undefined;
let client: SQSClient;
let dlqArn: string;

describe('the sqs job queue', () => {
  let q: JobQueue;
  beforeAll(async () => {
    peer = await startSqs();
    client = await sqsClient(peer);
    dlqArn = (await createDlq(client, `${PREFIX}dlq`)).arn;
    q = sqsQueue({ prefix: PREFIX, dlqArn, maxReceiveCount: 5, client });
  });
  afterAll(async () => {
    await q?.close();
    client?.destroy();
    await peer?.stop();
  });

  async function pool(queue = q) {
    const id = `pool_${randomBytes(6).toString('hex')}`;
    await queue.createPool(id);
    const { QueueUrl } = await client.send(
      new sdk.GetQueueUrlCommand({ QueueName: sqsQueueName(PREFIX, id) }),
    );
    return { id, url: QueueUrl! };
  }
  async function counts(url: string) {
    const { Attributes: a } = await client.send(
      new sdk.GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }),
    );
    return Number(a?.ApproximateNumberOfMessages) + Number(a?.ApproximateNumberOfMessagesNotVisible);
  }

  it('creates each pool queue redriving to the dead-letter queue', async () => {
    const p = await pool();
    const { Attributes } = await client.send(
      new sdk.GetQueueAttributesCommand({ QueueUrl: p.url, AttributeNames: ['RedrivePolicy'] }),
    );
    expect(JSON.parse(Attributes?.RedrivePolicy ?? '{}')).toEqual({
      deadLetterTargetArn: dlqArn,
      maxReceiveCount: 5,
    });
    // A changed K8SM_JOB_MAX_RECEIVES reaches queues made before.
    await sqsQueue({ prefix: PREFIX, dlqArn, maxReceiveCount: 3, client }).createPool(p.id);
    const after = await client.send(
      new sdk.GetQueueAttributesCommand({ QueueUrl: p.url, AttributeNames: ['RedrivePolicy'] }),
    );
    expect(JSON.parse(after.Attributes?.RedrivePolicy ?? '{}')).toMatchObject({ maxReceiveCount: 3 });
  });

  it('gives an unacknowledged message again after its visibility timeout, counting receives', async () => {
    const p = await pool();
    const id = jobId();
    await q.publish(p.id, [id]);
    const first = await q.receive(p.id, { waitMs: 1000, visibilitySeconds: 1 });
    expect(first).toMatchObject({ jobId: id, receiveCount: 1 });
    const [second, ms] = await timed(q.receive(p.id, { waitMs: 3000, visibilitySeconds: 1 }));
    expect(second).toMatchObject({ jobId: id, receiveCount: 2 });
    expect(second?.receipt).not.toBe(first?.receipt);
    expect(ms).toBeGreaterThan(700);
    await q.ack(p.id, second!.receipt!);
  });

  it('keeps a message invisible past its first timeout when extended, and gives it later', async () => {
    const p = await pool();
    const id = jobId();
    await q.publish(p.id, [id]);
    const first = await q.receive(p.id, { waitMs: 1000, visibilitySeconds: 1 });
    await q.extend(p.id, first!.receipt!, 3);
    expect(await q.receive(p.id, { waitMs: 1500, visibilitySeconds: 1 })).toBeNull();
    // Not the count: local-aws-sqs counts the extension as a receive, SQS does not.
    expect((await q.receive(p.id, { waitMs: 3000, visibilitySeconds: 1 }))?.jobId).toBe(id);
  });

  it('removes an acknowledged message for good', async () => {
    const p = await pool();
    await q.publish(p.id, [jobId()]);
    const got = await q.receive(p.id, { waitMs: 1000, visibilitySeconds: 1 });
    await q.ack(p.id, got!.receipt!);
    expect(await q.receive(p.id, { waitMs: 2000, visibilitySeconds: 1 })).toBeNull();
    expect(await counts(p.url)).toBe(0);
  });

  it('dead-letters a message received maxReceiveCount times', async () => {
    const dlq = await createDlq(client, `${PREFIX}dlq-${randomBytes(4).toString('hex')}`);
    const twice = sqsQueue({ prefix: PREFIX, dlqArn: dlq.arn, maxReceiveCount: 2, client });
    const p = await pool(twice);
    const id = jobId();
    await twice.publish(p.id, [id]);
    expect((await twice.receive(p.id, { waitMs: 1000, visibilitySeconds: 1 }))?.receiveCount).toBe(1);
    expect((await twice.receive(p.id, { waitMs: 3000, visibilitySeconds: 1 }))?.receiveCount).toBe(2);
    expect(await twice.receive(p.id, { waitMs: 2500, visibilitySeconds: 1 })).toBeNull();
    const dead = await client.send(
      new sdk.ReceiveMessageCommand({ QueueUrl: dlq.url, WaitTimeSeconds: 2, AttributeNames: ['All'] }),
    );
    expect(dead.Messages?.map((m) => JSON.parse(m.Body!))).toEqual([{ job_id: id }]);
    expect(dead.Messages?.[0]?.Attributes?.DeadLetterQueueSourceArn).toMatch(/:k8sm-test-pool_/);
    await twice.close();
  });

  it('drops messages that are not {"job_id": …} and hands the claimer the next good one', async () => {
    const p = await pool();
    const bad = [
      'not json',
      '{"job_id":"job_1","extra":1}',
      '{"job_id":5}',
      '{"job_id":"job 1; drop"}',
      '[]',
    ];
    for (const MessageBody of bad)
      await client.send(new sdk.SendMessageCommand({ QueueUrl: p.url, MessageBody }));
    const id = jobId();
    await q.publish(p.id, [id]);
    const got = await q.receive(p.id, { waitMs: 3000, visibilitySeconds: 30 });
    expect(got?.jobId).toBe(id);
    await q.ack(p.id, got!.receipt!);
    // Deleted, not merely hidden: they would come back every lease and end in the DLQ.
    expect(await counts(p.url)).toBe(0);
  });

  it('sends more than ten jobs in batches, each received once', async () => {
    const p = await pool();
    const ids = Array.from({ length: 23 }, jobId);
    await q.publish(p.id, ids);
    const seen: string[] = [];
    for (let i = 0; i < 30 && seen.length < ids.length; i++) {
      const got = await q.receive(p.id, { waitMs: 1000, visibilitySeconds: 30 });
      if (got) seen.push(got.jobId!);
    }
    expect(seen.sort()).toEqual([...ids].sort());
  });

  it('keeps the receipt handle out of its errors', async () => {
    const p = await pool();
    const receipt = `not-a-receipt-${randomBytes(8).toString('hex')}`;
    const failure = await q.extend(p.id, receipt, 10).then(
      () => null,
      (e: Error) => e,
    );
    expect(failure?.name).toBe('ReceiptHandleIsInvalid');
    expect(failure?.message).not.toContain(receipt);
    const ackFailure = await q.ack(p.id, receipt).catch((e: Error) => e);
    expect(String(ackFailure)).not.toContain(receipt);
  });
});
