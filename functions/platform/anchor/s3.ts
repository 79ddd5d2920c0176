import type { S3Client } from '@aws-sdk/client-s3';
import type { Config } from '../config';
import { type AnchoredCheckpoint, type AuditAnchor, parseAnchored } from './types';

/**
 * The cloud anchor: a bucket with Object Lock in compliance mode, whose default retention applies
 * to every put, so no one, the account's root included, can change or delete a stored version
 * before its retention ends. Each checkpoint is an object of its own, and `latest.json` names the
 * newest; overwriting it adds a version, the old ones stay locked. The functions may only put and
 * get objects (no listing, no deleting), so the newest is read from that one key.
 */
export type S3AnchorOptions = {
  bucket: string;
  aws: Config['aws'];
  /** Tests pass a client aimed at a loopback fixture; otherwise one is built on first use. */
  client?: S3Client;
};

type Sdk = typeof import('@aws-sdk/client-s3');

const PREFIX = 'audit-checkpoints/';
export const LATEST_KEY = `${PREFIX}latest.json`;
export const anchorKey = (c: Pick<AnchoredCheckpoint, 'last_seq' | 'id'>) =>
  `${PREFIX}${String(c.last_seq).padStart(16, '0')}-${c.id}.json`;

export function createS3Anchor(options: S3AnchorOptions): AuditAnchor {
  let loaded: Promise<{ sdk: Sdk; client: S3Client }> | undefined;

  // Imported where first used, as the KMS and SQS adapters do: /health should not pay for the SDK.
  function s3() {
    if (!loaded) {
      loaded = import('@aws-sdk/client-s3').then((sdk) => ({
        sdk,
        client:
          options.client ??
          new sdk.S3Client({
            ...(options.aws.region ? { region: options.aws.region } : {}),
            ...(options.aws.endpoint ? { endpoint: options.aws.endpoint, forcePathStyle: true } : {}),
          }),
      }));
      loaded.catch(() => {
        loaded = undefined;
      });
    }
    return loaded;
  }

  async function put(key: string, c: AnchoredCheckpoint) {
    const { sdk, client } = await s3();
    // Object Lock buckets refuse a put without an integrity checksum.
    await client.send(
      new sdk.PutObjectCommand({
        Bucket: options.bucket,
        Key: key,
        Body: JSON.stringify(c),
        ContentType: 'application/json',
        ChecksumAlgorithm: 'SHA256',
      }),
    );
  }

  async function latest(): Promise<AnchoredCheckpoint | undefined> {
    const { sdk, client } = await s3();
    let text: string;
    try {
      const got = await client.send(new sdk.GetObjectCommand({ Bucket: options.bucket, Key: LATEST_KEY }));
      text = (await got.Body?.transformToString('utf8')) ?? '';
    } catch (e) {
      // Without s3:ListBucket (the functions have none) S3 answers a missing key with AccessDenied,
      // which cannot be told from a real refusal: only NoSuchKey means "nothing anchored yet".
      if ((e as Error).name === 'NoSuchKey') return undefined;
      throw e;
    }
    const c = parseAnchored(text);
    // Only the functions can write here: an unreadable newest checkpoint is a fault to report.
    if (!c) throw new Error('the newest audit anchor is not a checkpoint');
    return c;
  }

  return {
    kind: 's3',
    async append(c) {
      await put(anchorKey(c), c);
      // A slower, older write must not move the pointer back.
      // The first write finds no pointer (AccessDenied, see latest): then there is none to protect.
      const newest = await latest().catch(() => undefined);
      if (!newest || newest.last_seq < c.last_seq) await put(LATEST_KEY, c);
    },
    latest,
  };
}
