/** buildQueue's wiring, the SQS side against local-aws-sqs, the SQS wire-protocol peer (test/peers/sqs.ts). */
import * as sdk from '@aws-sdk/client-sqs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createDlq, sqsClient, startSqs } from '../../../test/peers/sqs';
import { loadConfig } from '../config';
import { buildQueue } from './provider';
import { sqsQueueName } from './sqs-wire';

describe('buildQueue', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('uses the jobs table without K8SM_QUEUE_PREFIX', async () => {
    const q = buildQueue(loadConfig({}));
    expect(q.kind).toBe('postgres');
    await q.close();
  });

  it('builds an SQS client from the AWS settings and redrives after K8SM_JOB_MAX_RECEIVES', async () => {
    const peer = await startSqs();
    const client = await sqsClient(peer);
    try {
      const dlq = await createDlq(client, 'k8sm-provider-dlq');
      // The SDK's own credential chain; the peer checks no signature, the SDK insists on one.
      vi.stubEnv('AWS_ACCESS_KEY_ID', 'test');
      vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'test');
      const config = loadConfig({
        K8SM_QUEUE_PREFIX: 'k8sm-provider-',
        K8SM_DLQ_ARN: dlq.arn,
        K8SM_JOB_MAX_RECEIVES: '3',
        AWS_REGION: peer.region,
        AWS_ENDPOINT_URL: peer.endpoint,
      });
      const q = buildQueue(config);
      expect(q.kind).toBe('sqs');
      await q.createPool('pool_a');
      await q.publish('pool_a', ['job_1']);
      expect(await q.receive('pool_a', { waitMs: 1000, visibilitySeconds: 30 })).toMatchObject({
        jobId: 'job_1',
      });
      await q.close();
      const { QueueUrl } = await client.send(
        new sdk.GetQueueUrlCommand({ QueueName: sqsQueueName('k8sm-provider-', 'pool_a') }),
      );
      const { Attributes } = await client.send(
        new sdk.GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['RedrivePolicy'] }),
      );
      expect(JSON.parse(Attributes?.RedrivePolicy ?? '{}')).toEqual({
        deadLetterTargetArn: dlq.arn,
        maxReceiveCount: 3,
      });
    } finally {
      client.destroy();
      await peer.stop();
    }
  });
});
