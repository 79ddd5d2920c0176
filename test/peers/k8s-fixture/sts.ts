/**
 * A faithful loopback STS for `AssumeRole` (the query API over POST, as STS serves it): it
 * recomputes the request's SigV4 header signature with the caller's static test keys — written from
 * the SigV4 specification, independently of the SDK signer the runner uses — and answers real STS
 * XML: the temporary credentials it was told to issue (access key, secret, session token,
 * expiration), or an `ErrorResponse` with STS's codes. Plain HTTP on loopback; real STS and its VPC
 * endpoints speak HTTPS, which changes nothing of what is signed.
 */
import { randomUUID, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { amzDate, hmac, sha256 } from './eks';

export type StsKeys = { access_key_id: string; secret_access_key: string };
export type IssuedCredentials = StsKeys & { session_token: string };
export type AssumeRoleCall = {
  ok: boolean;
  reason?: string;
  role_arn?: string;
  session_name?: string;
  duration_seconds?: number;
};
export type StsFixture = {
  /** Base URL, for `K8SM_AWS_STS_ENDPOINT`. */
  url: string;
  calls(): AssumeRoleCall[];
  stop(): Promise<void>;
};

export async function startStsFixture(opts: {
  region: string;
  /** The keys whose signature is accepted: the runner's own. */
  caller: StsKeys;
  /** The only role that may be assumed. */
  role_arn: string;
  issue: IssuedCredentials;
}): Promise<StsFixture> {
  const calls: AssumeRoleCall[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const form = new URLSearchParams(body);
      const reject = (status: number, code: string, message: string) => {
        calls.push({ ok: false, reason: `${code}: ${message}` });
        res.writeHead(status, { 'content-type': 'text/xml' });
        res.end(
          `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`,
        );
      };
      const bad = verifySignature(req, body, opts.region, opts.caller);
      if (bad) return reject(403, 'SignatureDoesNotMatch', bad);
      if (
        req.method !== 'POST' ||
        form.get('Action') !== 'AssumeRole' ||
        form.get('Version') !== '2011-06-15'
      )
        return reject(400, 'InvalidAction', 'only AssumeRole is served here');
      const session = form.get('RoleSessionName') ?? '';
      const duration = Number(form.get('DurationSeconds') ?? 3600);
      if (!/^[\w+=,.@-]{2,64}$/.test(session))
        return reject(400, 'ValidationError', 'RoleSessionName fails its pattern');
      if (!(duration >= 900 && duration <= 43_200))
        return reject(400, 'ValidationError', 'DurationSeconds out of range');
      if (form.get('RoleArn') !== opts.role_arn)
        return reject(
          403,
          'AccessDenied',
          `not authorized to perform sts:AssumeRole on ${form.get('RoleArn')}`,
        );
      calls.push({ ok: true, role_arn: opts.role_arn, session_name: session, duration_seconds: duration });
      const expiration = new Date(Date.now() + duration * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
      const role = opts.role_arn.replace(
        /^arn:([^:]+):iam::(\d{12}):role\/(?:.*\/)?/,
        'arn:$1:sts::$2:assumed-role/',
      );
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.end(`<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleResult>
    <AssumedRoleUser>
      <Arn>${role}/${session}</Arn>
      <AssumedRoleId>AROAFIXTURE0000000001:${session}</AssumedRoleId>
    </AssumedRoleUser>
    <Credentials>
      <AccessKeyId>${opts.issue.access_key_id}</AccessKeyId>
      <SecretAccessKey>${opts.issue.secret_access_key}</SecretAccessKey>
      <SessionToken>${opts.issue.session_token}</SessionToken>
      <Expiration>${expiration}</Expiration>
    </Credentials>
  </AssumeRoleResult>
  <ResponseMetadata>
    <RequestId>${randomUUID()}</RequestId>
  </ResponseMetadata>
</AssumeRoleResponse>`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    calls: () => [...calls],
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Why the request's `Authorization` is not a valid SigV4 signature by `keys`, or null when it is. */
function verifySignature(
  req: http.IncomingMessage,
  body: string,
  region: string,
  keys: StsKeys,
): string | null {
  const auth =
    /^AWS4-HMAC-SHA256 Credential=([^,]+), ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(
      req.headers.authorization ?? '',
    );
  if (!auth) return 'no SigV4 Authorization header';
  const [, credential, signedHeaders, signature] = auth as unknown as [string, string, string, string];
  const xAmzDate = String(req.headers['x-amz-date'] ?? '');
  const date = amzDate(xAmzDate);
  if (!date || Math.abs(Date.now() - date.getTime()) > 5 * 60_000) return 'signature date missing or skewed';
  const scope = `${xAmzDate.slice(0, 8)}/${region}/sts/aws4_request`;
  if (credential !== `${keys.access_key_id}/${scope}`) return 'another key or scope';
  const names = signedHeaders.split(';');
  for (const must of ['host', 'x-amz-date']) if (!names.includes(must)) return `${must} is not signed`;
  const payloadHash = sha256(body);
  const claimed = req.headers['x-amz-content-sha256'];
  if (claimed !== undefined && claimed !== payloadHash) return 'payload hash does not match';
  const headerLine = (n: string) => {
    const v = req.headers[n];
    return `${n}:${(Array.isArray(v) ? v.join(',') : (v ?? '')).trim().replace(/\s+/g, ' ')}`;
  };
  const url = new URL(req.url ?? '/', 'http://x');
  const canonical = [
    req.method,
    url.pathname,
    '',
    ...names.map(headerLine),
    '',
    signedHeaders,
    payloadHash,
  ].join('\n');
  const toSign = ['AWS4-HMAC-SHA256', xAmzDate, scope, sha256(canonical)].join('\n');
  let key = hmac(`AWS4${keys.secret_access_key}`, xAmzDate.slice(0, 8));
  for (const part of [region, 'sts', 'aws4_request']) key = hmac(key, part);
  const expected = hmac(key, toSign);
  const given = Buffer.from(signature, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected)
    ? null
    : 'signature does not match';
}
