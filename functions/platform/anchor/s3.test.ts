import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anchorKey, createS3Anchor, LATEST_KEY } from './s3';
import type { AnchoredCheckpoint } from './types';

/**
 * No S3 emulator exists here, so the adapter is tested against a loopback fixture that speaks the
 * parts of the S3 wire contract it uses, as a bucket with Object Lock in compliance mode does:
 * path-style PutObject and GetObject only, SigV4-signed; a put without an integrity checksum is
 * refused (400 InvalidRequest), a checksum that does not match the body too; every put of a key
 * adds a version and none is ever removed; a missing key is 403 AccessDenied for a caller without
 * s3:ListBucket (as the functions are) and 404 NoSuchKey for one with it, in S3's XML.
 */
class ObjectLockBucket {
  readonly versions = new Map<string, string[]>();
  readonly requests: { method: string; key: string }[] = [];
  private server: Server | undefined;

  /** Whether the caller holds s3:ListBucket, which decides how S3 answers a missing key. */
  listable = false;

  constructor(readonly name: string) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      this.handle(req).then(
        ({ status, headers, body }) => {
          res.writeHead(status, headers);
          res.end(body);
        },
        () => {
          res.writeHead(500);
          res.end();
        },
      );
    });
    await new Promise<void>((ok) => this.server!.listen(0, '127.0.0.1', ok));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop() {
    return new Promise<void>((ok) => this.server?.close(() => ok()));
  }

  private async handle(req: IncomingMessage) {
    const url = new URL(req.url ?? '/', 'http://fixture');
    const [, bucket, ...rest] = url.pathname.split('/');
    const key = decodeURIComponent(rest.join('/'));
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    this.requests.push({ method: req.method ?? '', key });
    const xml = (status: number, code: string) => ({
      status,
      headers: { 'content-type': 'application/xml' },
      body: `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${code}</Message></Error>`,
    });
    if (!String(req.headers.authorization ?? '').startsWith('AWS4-HMAC-SHA256 '))
      return xml(403, 'AccessDenied');
    if (bucket !== this.name) return xml(404, 'NoSuchBucket');
    // The functions are granted PutObject and GetObject on objects, nothing else (no list, no delete).
    // The SDK names its operation in `x-id`; any other subresource (?versions, ?retention, ?list-type) is refused.
    const sub = [...url.searchParams.keys()].filter((k) => k !== 'x-id');
    if (!key || sub.length) return xml(403, 'AccessDenied');
    if (req.method === 'PUT') {
      const sha = req.headers['x-amz-checksum-sha256'];
      const md5 = req.headers['content-md5'];
      if (!sha && !md5) return xml(400, 'InvalidRequest');
      if (sha && sha !== createHash('sha256').update(body).digest('base64')) return xml(400, 'BadDigest');
      const list = this.versions.get(key) ?? [];
      list.push(body.toString('utf8'));
      this.versions.set(key, list);
      return {
        status: 200,
        headers: { etag: `"${list.length}"`, 'x-amz-version-id': String(list.length) },
        body: '',
      };
    }
    if (req.method === 'GET') {
      const list = this.versions.get(key);
      if (!list) return this.listable ? xml(404, 'NoSuchKey') : xml(403, 'AccessDenied');
      return { status: 200, headers: { 'content-type': 'application/json' }, body: list.at(-1)! };
    }
    return xml(405, 'MethodNotAllowed');
  }
}

const checkpoint = (seq: number, id = `ckp_${seq}`): AnchoredCheckpoint => ({
  id,
  last_event_id: `evt_${seq}`,
  last_seq: seq,
  count: seq,
  hash: 'a'.repeat(64),
  mac: Buffer.from(`mac-${seq}`).toString('base64'),
  prev_mac: null,
  mac_from: 1,
  created_at: new Date(0).toISOString(),
});

describe('S3 audit anchor (against a loopback fixture of the S3 wire contract)', () => {
  const bucket = new ObjectLockBucket('k8sm-audit-anchor');
  let client: S3Client;
  beforeAll(async () => {
    client = new S3Client({
      region: 'eu-central-1',
      endpoint: await bucket.start(),
      forcePathStyle: true,
      credentials: { accessKeyId: 'AKIDFIXTURE', secretAccessKey: 'fixture-secret-key' },
    });
  });
  afterAll(async () => {
    client.destroy();
    await bucket.stop();
  });
  const anchor = () =>
    createS3Anchor({ bucket: bucket.name, aws: { region: undefined, endpoint: undefined }, client });

  it('has no newest checkpoint before the first is written, and says so only when S3 does', async () => {
    // Without s3:ListBucket a missing key and a refusal look alike: no claim of "nothing anchored".
    await expect(anchor().latest()).rejects.toMatchObject({ name: 'AccessDenied' });
    bucket.listable = true;
    expect(await anchor().latest()).toBeUndefined();
    bucket.listable = false;
  });

  it('writes each checkpoint as an object of its own, with a checksum, and reads back the newest', async () => {
    const a = anchor();
    await a.append(checkpoint(100));
    await a.append(checkpoint(142));
    expect(await a.latest()).toEqual(checkpoint(142));
    expect(JSON.parse(bucket.versions.get(anchorKey(checkpoint(100)))![0]!)).toEqual(checkpoint(100));
    expect(bucket.requests.every((r) => r.key.startsWith('audit-checkpoints/'))).toBe(true);
  });

  it('never moves the newest back when an older checkpoint is written late', async () => {
    const a = anchor();
    await a.append(checkpoint(120));
    expect((await a.latest())?.last_seq).toBe(142);
    // Every earlier version of the pointer is still there: puts add versions, nothing is removed.
    expect(bucket.versions.get(LATEST_KEY)?.map((v) => JSON.parse(v).last_seq)).toEqual([100, 142]);
  });

  it('reports a newest object that is not a checkpoint instead of treating it as none', async () => {
    bucket.versions.get(LATEST_KEY)!.push('{"not":"a checkpoint"}');
    await expect(anchor().latest()).rejects.toThrow(/not a checkpoint/);
  });
});
