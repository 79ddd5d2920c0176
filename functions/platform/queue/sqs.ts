import type {
  Message,
  QueueAttributeName,
  ReceiveMessageCommandOutput,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { JOB_ID, jobMessage, parseJobMessage, sqsQueueName, withoutReceipt } from './sqs-wire';
import type { Delivery, JobQueue } from './types';

export type SqsQueueOptions = {
  /** Queue names are `${prefix}${poolId}`. */
  prefix: string;
  /** Every pool queue redrives here. */
  dlqArn: string;
  /** Receives before SQS moves a message to the dead-letter queue. Default 5. */
  maxReceiveCount?: number;
  region?: string;
  endpoint?: string;
  /** Tests pass a client for the local peer; otherwise one is built on first use (and closed by close). */
  client?: SQSClient;
};

type Sdk = typeof import('@aws-sdk/client-sqs');

/** The longest long poll SQS allows. */
const MAX_WAIT_SECONDS = 20;
const MAX_BATCH = 10;

/**
 * One standard SQS queue per runner pool, each redriving to the shared dead-letter queue. A message
 * is `{"job_id": "..."}` and nothing else: the job row is the truth, the message only says which
 * row to look at. Delivery is at least once, so a message may name a job that is done already.
 */
export function sqsQueue(opts: SqsQueueOptions): JobQueue {
  const maxReceiveCount = opts.maxReceiveCount ?? 5;
  if (!Number.isInteger(maxReceiveCount) || maxReceiveCount < 1 || maxReceiveCount > 1000)
    throw new Error('maxReceiveCount must be an integer from 1 to 1000');
  if (!opts.dlqArn.startsWith('arn:')) throw new Error('dlqArn must be an ARN');
  const redrivePolicy = JSON.stringify({ deadLetterTargetArn: opts.dlqArn, maxReceiveCount });
  const urls = new Map<string, Promise<string>>();
  /** Ends every receive in flight when the queue is closed. */
  const closing = new AbortController();
  let loaded: Promise<{ sdk: Sdk; client: SQSClient }> | undefined;

  // Imported where first used: the SDK costs a Lambda cold start time it should not pay for /health.
  function sqs() {
    if (!loaded) {
      loaded = import('@aws-sdk/client-sqs').then((sdk) => ({
        sdk,
        client:
          opts.client ??
          new sdk.SQSClient({
            ...(opts.region ? { region: opts.region } : {}),
            ...(opts.endpoint ? { endpoint: opts.endpoint } : {}),
          }),
      }));
      loaded.catch(() => {
        loaded = undefined;
      });
    }
    return loaded;
  }

  function remember(poolId: string, url: Promise<string>) {
    urls.set(poolId, url);
    url.catch(() => {
      if (urls.get(poolId) === url) urls.delete(poolId);
    });
    return url;
  }

  function queueUrl(poolId: string): Promise<string> {
    const name = sqsQueueName(opts.prefix, poolId);
    return (
      urls.get(poolId) ??
      remember(
        poolId,
        sqs().then(async ({ sdk, client }) => {
          const out = await client.send(new sdk.GetQueueUrlCommand({ QueueName: name }));
          if (!out.QueueUrl) throw new Error(`SQS returned no URL for queue ${name}`);
          return out.QueueUrl;
        }),
      )
    );
  }

  async function create(poolId: string): Promise<string> {
    const name = sqsQueueName(opts.prefix, poolId);
    const { sdk, client } = await sqs();
    const Attributes = { RedrivePolicy: redrivePolicy };
    try {
      const out = await client.send(new sdk.CreateQueueCommand({ QueueName: name, Attributes }));
      if (!out.QueueUrl) throw new Error(`SQS returned no URL for queue ${name}`);
      return out.QueueUrl;
    } catch (e) {
      // The queue exists with another redrive policy (K8SM_JOB_MAX_RECEIVES changed): bring it in line.
      if ((e as Error).name !== 'QueueNameExists') throw e;
      const { QueueUrl } = await client.send(new sdk.GetQueueUrlCommand({ QueueName: name }));
      if (!QueueUrl) throw new Error(`SQS returned no URL for queue ${name}`);
      await client.send(new sdk.SetQueueAttributesCommand({ QueueUrl, Attributes }));
      return QueueUrl;
    }
  }

  async function deliveryOf(m: Message, url: string): Promise<Delivery | null> {
    const jobId = parseJobMessage(m.Body);
    if (jobId && m.ReceiptHandle) {
      const receiveCount = Number(m.Attributes?.ApproximateReceiveCount);
      return {
        jobId,
        receipt: m.ReceiptHandle,
        receiveCount: Number.isInteger(receiveCount) ? receiveCount : 0,
      };
    }
    // Not ours: gone for good, so it neither comes back every lease nor lands in the DLQ as a job.
    if (m.ReceiptHandle) {
      const { sdk, client } = await sqs();
      await client
        .send(new sdk.DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle }))
        // Still not the claimer's problem: it comes back after its lease and ends in the DLQ.
        .catch(() => undefined);
    }
    return null;
  }

  return {
    kind: 'sqs',
    async createPool(poolId) {
      await remember(poolId, create(poolId));
    },
    async publish(poolId, jobIds) {
      for (const id of jobIds) if (!JOB_ID.test(id)) throw new Error(`not a job id: ${JSON.stringify(id)}`);
      if (!jobIds.length) return;
      const url = await queueUrl(poolId);
      const { sdk, client } = await sqs();
      for (let at = 0; at < jobIds.length; at += MAX_BATCH) {
        const chunk = jobIds.slice(at, at + MAX_BATCH);
        const out = await client.send(
          new sdk.SendMessageBatchCommand({
            QueueUrl: url,
            Entries: chunk.map((id, i) => ({ Id: String(i), MessageBody: jobMessage(id) })),
          }),
        );
        // A batch answers 200 even when entries fail; unsent jobs must not pass for sent.
        if (out.Failed?.length) {
          const codes = [...new Set(out.Failed.map((f) => f.Code ?? 'unknown'))].join(', ');
          throw new Error(
            `SQS refused ${out.Failed.length} of ${chunk.length} messages for pool ${poolId}: ${codes}`,
          );
        }
      }
    },
    async receive(poolId, { waitMs, visibilitySeconds, signal }) {
      if (!Number.isInteger(visibilitySeconds) || visibilitySeconds < 0 || visibilitySeconds > 43_200)
        throw new Error('visibilitySeconds must be an integer from 0 to 43200');
      const stop = signal ? AbortSignal.any([signal, closing.signal]) : closing.signal;
      if (stop.aborted) return null;
      const url = await queueUrl(poolId);
      const { sdk, client } = await sqs();
      const deadline = Date.now() + Math.max(0, waitMs);
      // SQS long-polls 20 s at most and a claim may wait longer: poll again until the deadline.
      // Each round either waits ≥ 1 s or takes a message off the queue, so the loop is bounded.
      do {
        const left = deadline - Date.now();
        let out: ReceiveMessageCommandOutput;
        try {
          out = await client.send(
            new sdk.ReceiveMessageCommand({
              QueueUrl: url,
              MaxNumberOfMessages: 1,
              WaitTimeSeconds: Math.min(MAX_WAIT_SECONDS, Math.max(0, Math.ceil(left / 1000))),
              VisibilityTimeout: visibilitySeconds,
              MessageSystemAttributeNames: ['ApproximateReceiveCount'],
              // Deprecated, but still honoured by SQS, and the only name local-aws-sqs reads; the SDK's
              // type lists queue attributes only (aws-sdk-js-v3#5403).
              AttributeNames: ['ApproximateReceiveCount'] as unknown as QueueAttributeName[],
            }),
            { abortSignal: stop },
          );
        } catch (e) {
          if (stop.aborted) return null;
          throw e;
        }
        const message = out.Messages?.[0];
        if (message) {
          const delivery = await deliveryOf(message, url);
          if (delivery) return delivery;
        }
      } while (Date.now() < deadline && !stop.aborted);
      return null;
    },
    async extend(poolId, receipt, seconds) {
      const url = await queueUrl(poolId);
      const { sdk, client } = await sqs();
      await client
        .send(
          new sdk.ChangeMessageVisibilityCommand({
            QueueUrl: url,
            ReceiptHandle: receipt,
            VisibilityTimeout: seconds,
          }),
        )
        .catch((e) => {
          throw withoutReceipt(e, receipt, 'ChangeMessageVisibility');
        });
    },
    async ack(poolId, receipt) {
      const url = await queueUrl(poolId);
      const { sdk, client } = await sqs();
      await client
        .send(new sdk.DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: receipt }))
        .catch((e) => {
          throw withoutReceipt(e, receipt, 'DeleteMessage');
        });
    },
    async close() {
      closing.abort();
      if (!opts.client && loaded) (await loaded.catch(() => undefined))?.client.destroy();
    },
  };
}
