import type { Config } from '../config';
import { postgresQueue } from './postgres';
import { sqsQueue } from './sqs';
import type { JobQueue } from './types';

/**
 * Chosen once from config: SQS when `K8SM_QUEUE_PREFIX` and `K8SM_DLQ_ARN` are set, the jobs table
 * otherwise. The SQS client (and the SDK) is only loaded by the first call that needs it.
 */
export function buildQueue(config: Pick<Config, 'queue' | 'jobs' | 'aws'>): JobQueue {
  if (config.queue.kind === 'sqs')
    return sqsQueue({
      prefix: config.queue.prefix,
      dlqArn: config.queue.dlqArn,
      maxReceiveCount: config.jobs.maxReceives,
      region: config.aws.region,
      endpoint: config.aws.endpoint,
    });
  return postgresQueue();
}
