/**
 * The SQS wire-protocol peer: npm `local-aws-sqs`, served in-process on a free loopback port, spoken
 * to by the real `@aws-sdk/client-sqs` (JSON protocol). What it does differently from Amazon SQS,
 * read from its source (2.0.2) and checked by the queue contract tests:
 *  - dead-lettering happens when the visibility timeout of the `maxReceiveCount`-th receive runs
 *    out (SQS moves the message on the receive after that): the same to a consumer, only earlier;
 *  - ChangeMessageVisibility counts as a receive (ApproximateReceiveCount goes up; SQS leaves it),
 *    so heartbeats bring a message nearer the dead-letter queue here;
 *  - stale receipt handles still delete and change visibility (it finds the message by its id);
 *  - ReceiveMessage reads `AttributeNames`, not `MessageSystemAttributeNames`;
 *  - an abandoned long poll keeps running on the server and may take a message in flight.
 */
import type { Server } from 'node:http';
import type { SQSClient } from '@aws-sdk/client-sqs';

export type SqsPeer = {
  /** http://127.0.0.1:port */
  endpoint: string;
  region: string;
  stop(): Promise<void>;
};

const REGION = 'us-east-1';

export async function startSqs(): Promise<SqsPeer> {
  const { createSqsServer } = await import('local-aws-sqs');
  const server: Server = await createSqsServer({
    port: 0,
    hostname: '127.0.0.1',
    region: REGION,
    // Tests make fresh names each time; AWS's 60 s wait before re-creating a name would only slow them.
    emulateQueueCreationLifecycle: false,
  });
  const address = server.address();
  if (!address || typeof address !== 'object') throw new Error('local-aws-sqs did not listen');
  let stopped: Promise<void> | undefined;
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    region: REGION,
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        // A long poll in flight would otherwise hold close() for up to 20 s.
        server.closeAllConnections();
      });
      return stopped;
    },
  };
}

/** A client for the peer: fixed fake credentials, so no test reads the machine's AWS settings. */
export async function sqsClient(peer: Pick<SqsPeer, 'endpoint' | 'region'>): Promise<SQSClient> {
  const { SQSClient } = await import('@aws-sdk/client-sqs');
  return new SQSClient({
    region: peer.region,
    endpoint: peer.endpoint,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
}

/** Creates a dead-letter queue; its ARN is the one the peer reports, as RedrivePolicy needs it. */
export async function createDlq(client: SQSClient, name: string): Promise<{ url: string; arn: string }> {
  const sdk = await import('@aws-sdk/client-sqs');
  const made = await client.send(new sdk.CreateQueueCommand({ QueueName: name }));
  if (!made.QueueUrl) throw new Error('CreateQueue returned no QueueUrl');
  const attrs = await client.send(
    new sdk.GetQueueAttributesCommand({ QueueUrl: made.QueueUrl, AttributeNames: ['QueueArn'] }),
  );
  const arn = attrs.Attributes?.QueueArn;
  if (!arn) throw new Error('GetQueueAttributes returned no QueueArn');
  return { url: made.QueueUrl, arn };
}
