import { describe, expect, it } from 'vitest';
import { sqsQueue } from './sqs';
import { parseJobMessage, sqsQueueName } from './sqs-wire';

const dlqArn = 'arn:aws:sqs:eu-west-1:123456789012:k8sm-dlq';

describe('SQS queue names', () => {
  it('joins prefix and pool id', () => {
    expect(sqsQueueName('k8sm-prod-', 'pool_01jx8y2c3v4b5n6m7k8j9h0g1f')).toBe(
      'k8sm-prod-pool_01jx8y2c3v4b5n6m7k8j9h0g1f',
    );
  });

  it.each([
    ['over 80 characters', 'k8sm-', `pool_${'a'.repeat(71)}`],
    ['a dot', 'k8sm.', 'pool_a'],
    ['a slash', 'k8sm-', 'pool/a'],
    ['a colon', 'k8sm-', 'pool:a'],
    ['a space', 'k8sm-', 'pool a'],
    ['nothing at all', '', ''],
  ])('refuses a name with %s, as SQS would', (_, prefix, pool) => {
    expect(() => sqsQueueName(prefix, pool)).toThrow(/not a valid SQS name/);
  });

  it('accepts exactly 80 characters', () => {
    expect(sqsQueueName('k8sm-', `pool_${'a'.repeat(70)}`)).toHaveLength(80);
  });

  it('refuses a bad pool before it asks SQS anything', async () => {
    // No client and no endpoint: a request would fail differently (no credentials, no network).
    const q = sqsQueue({ prefix: 'k8sm-', dlqArn, endpoint: 'http://127.0.0.1:9' });
    await expect(q.createPool('pool/../x')).rejects.toThrow(/not a valid SQS name/);
    await expect(q.publish('pool_a', ['job 1'])).rejects.toThrow(/not a job id/);
    await q.close();
  });
});

describe('job messages', () => {
  it('reads {"job_id": "..."}', () => {
    expect(parseJobMessage('{"job_id":"job_01jx8y2c3v4b5n6m7k8j9h0g1f"}')).toBe(
      'job_01jx8y2c3v4b5n6m7k8j9h0g1f',
    );
  });

  it.each([
    undefined,
    '',
    'job_1',
    'null',
    '[]',
    '{}',
    '{"job_id":5}',
    '{"job_id":""}',
    '{"job_id":"job_1","extra":true}',
    '{"jobId":"job_1"}',
    `{"job_id":"${'a'.repeat(129)}"}`,
  ])('refuses %j', (body) => {
    expect(parseJobMessage(body)).toBeNull();
  });
});
