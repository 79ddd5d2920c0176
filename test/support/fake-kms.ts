import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KMSClient } from '@aws-sdk/client-kms';
import { canonicalJson } from '../../shared/canonical-json';

/**
 * A fake of the KMS JSON 1.1 wire protocol, plugged in as the SDK client's request handler: the real
 * client serialises, signs and parses; only the HTTP round trip is replaced. No KMS emulator runs on
 * the machines this project is tested on, so this is the closest peer available.
 *
 * It behaves like KMS where the tests rely on it: ciphertext blobs name their key and are bound to
 * the encryption context (a Decrypt with another context gets InvalidCiphertextException), a Decrypt
 * naming another KeyId gets IncorrectKeyException, and unknown keys get NotFoundException.
 */
type WireRequest = { method: string; path: string; headers: Record<string, string>; body?: unknown };
type WireResponse = { statusCode: number; headers: Record<string, string>; body: Buffer };

const REGION = 'eu-west-1';
const ACCOUNT = '111122223333';

export class FakeKms {
  readonly calls: Record<string, number> = {};
  private readonly keys = new Map<string, Buffer>();
  private readonly aliases = new Map<string, string>();

  /** Creates a key and its alias; returns the key's ARN. */
  createKey(alias: string): string {
    const arn = `arn:aws:kms:${REGION}:${ACCOUNT}:key/${randomUUID()}`;
    this.keys.set(arn, randomBytes(32));
    this.aliases.set(alias, arn);
    return arn;
  }

  total(): number {
    return Object.values(this.calls).reduce((a, b) => a + b, 0);
  }

  client(): KMSClient {
    const handler = { handle: async (request: WireRequest) => ({ response: this.serve(request) }) };
    return new KMSClient({
      region: REGION,
      credentials: { accessKeyId: 'AKIDFAKE', secretAccessKey: 'fake-secret-access-key' },
      maxAttempts: 1,
      // The SDK accepts any object with `handle`; its response check is structural (statusCode, headers).
      requestHandler: handler as never,
    });
  }

  /** The same fake over real HTTP on loopback, for the SDK's own client building and endpoint handling. */
  async listen(): Promise<{ url: string; close(): Promise<void> }> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
        const out = this.serve({
          method: req.method ?? '',
          path: req.url ?? '/',
          headers,
          body: Buffer.concat(chunks),
        });
        res.writeHead(out.statusCode, out.headers).end(out.body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return {
      url: `http://127.0.0.1:${port}`,
      close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    };
  }

  private serve(request: WireRequest): WireResponse {
    const target = request.headers['x-amz-target'] ?? '';
    const op = target.startsWith('TrentService.') ? target.slice('TrentService.'.length) : '';
    this.calls[op] = (this.calls[op] ?? 0) + 1;
    if (request.method !== 'POST' || request.headers['content-type'] !== 'application/x-amz-json-1.1') {
      return fail(400, 'SerializationException', 'expected a JSON 1.1 POST');
    }
    if (!request.headers.authorization?.startsWith('AWS4-HMAC-SHA256 ')) {
      return fail(400, 'MissingAuthenticationTokenException', 'request is not signed');
    }
    // Read the bytes as an HTTP handler would put them on the wire (the SDK's body type also mimics a string).
    const raw = request.body as Uint8Array | string;
    const bytes =
      typeof raw === 'string' ? Buffer.from(raw) : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
    const body = JSON.parse(bytes.toString('utf8'));
    try {
      switch (op) {
        case 'GenerateDataKey':
          return this.generateDataKey(body);
        case 'Decrypt':
          return this.decrypt(body);
        case 'ReEncrypt':
          return this.reEncrypt(body);
        default:
          return fail(400, 'UnknownOperationException', 'not faked');
      }
    } catch (e) {
      if (e instanceof KmsFault) return fail(400, e.type, e.message);
      throw e;
    }
  }

  private generateDataKey(body: Record<string, unknown>): WireResponse {
    const arn = this.resolve(body.KeyId);
    if (body.KeySpec !== 'AES_256') throw new KmsFault('ValidationException', 'KeySpec must be AES_256');
    const plaintext = randomBytes(32);
    return ok({
      KeyId: arn,
      Plaintext: plaintext.toString('base64'),
      CiphertextBlob: this.encrypt(arn, plaintext, body.EncryptionContext).toString('base64'),
    });
  }

  private decrypt(body: Record<string, unknown>): WireResponse {
    const { arn, plaintext } = this.open(body.CiphertextBlob, body.EncryptionContext, body.KeyId);
    return ok({
      KeyId: arn,
      Plaintext: plaintext.toString('base64'),
      EncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
    });
  }

  private reEncrypt(body: Record<string, unknown>): WireResponse {
    const source = this.open(body.CiphertextBlob, body.SourceEncryptionContext, body.SourceKeyId);
    const dest = this.resolve(body.DestinationKeyId);
    return ok({
      SourceKeyId: source.arn,
      KeyId: dest,
      CiphertextBlob: this.encrypt(dest, source.plaintext, body.DestinationEncryptionContext).toString(
        'base64',
      ),
    });
  }

  private resolve(keyId: unknown): string {
    if (typeof keyId !== 'string') throw new KmsFault('ValidationException', 'KeyId is required');
    const arn = this.aliases.get(keyId) ?? keyId;
    if (!this.keys.has(arn)) throw new KmsFault('NotFoundException', 'key not found');
    return arn;
  }

  /** Blob: ARN length, ARN, nonce, tag, ciphertext; bound to the context like KMS's own blobs. */
  private encrypt(arn: string, plaintext: Buffer, context: unknown): Buffer {
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(arn)!, nonce).setAAD(aad(context));
    const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    const name = Buffer.from(arn);
    return Buffer.concat([Buffer.of(name.length), name, nonce, cipher.getAuthTag(), ct]);
  }

  private open(blob: unknown, context: unknown, keyId: unknown): { arn: string; plaintext: Buffer } {
    const bytes = Buffer.from(typeof blob === 'string' ? blob : '', 'base64');
    const len = bytes[0] ?? 0;
    const arn = bytes.subarray(1, 1 + len).toString();
    const master = this.keys.get(arn);
    if (!master || bytes.length < 1 + len + 28) throw new KmsFault('InvalidCiphertextException', '');
    if (keyId !== undefined && this.resolve(keyId) !== arn) throw new KmsFault('IncorrectKeyException', '');
    const nonce = bytes.subarray(1 + len, 13 + len);
    const tag = bytes.subarray(13 + len, 29 + len);
    try {
      const d = createDecipheriv('aes-256-gcm', master, nonce).setAAD(aad(context)).setAuthTag(tag);
      return { arn, plaintext: Buffer.concat([d.update(bytes.subarray(29 + len)), d.final()]) };
    } catch {
      throw new KmsFault('InvalidCiphertextException', '');
    }
  }
}

class KmsFault extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

const aad = (context: unknown) => Buffer.from(canonicalJson(context ?? {}));

const json = (statusCode: number, value: unknown): WireResponse => ({
  statusCode,
  headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': randomUUID() },
  body: Buffer.from(JSON.stringify(value)),
});
const ok = (value: unknown) => json(200, value);
const fail = (status: number, type: string, message: string) => json(status, { __type: type, message });
