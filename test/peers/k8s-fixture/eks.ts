/**
 * The EKS authenticator's side of a `k8s-aws-v1.` token, as the fixture plays it: decode the
 * presigned STS GetCallerIdentity URL and recompute its SigV4 signature with the test's AWS secret
 * key — written out here from the SigV4 specification, independently of the SDK signer the runner
 * uses, so a token signed wrongly in any part (key, date, region, service, signed headers, the
 * cluster's name in `x-k8s-aws-id`) does not pass. Real EKS forwards the URL to STS, which checks
 * the same signature; the fixture cannot reach STS, so it checks it itself.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export type EksAuthority = {
  cluster_name: string;
  region: string;
  access_key_id: string;
  secret_access_key: string;
  /**
   * Set when the accepted key is a temporary one (issued by STS AssumeRole): the token must then
   * carry this session token as `X-Amz-Security-Token`, covered by the signature like STS checks it.
   */
  session_token?: string;
};
export type EksVerdict = { ok: true; user: string } | { ok: false; reason: string };

const PREFIX = 'k8s-aws-v1.';
const LIFETIME_MS = 15 * 60_000;
export const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
export const hmac = (key: Buffer | string, s: string) => createHmac('sha256', key).update(s, 'utf8').digest();
/** RFC 3986 encoding, as SigV4 wants it (encodeURIComponent leaves !'()* alone). */
export const enc = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

export function amzDate(s: string): Date | null {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  return m ? new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!)) : null;
}

export function verifyEksToken(token: string, auth: EksAuthority, now = new Date()): EksVerdict {
  if (!token.startsWith(PREFIX)) return { ok: false, reason: 'not a k8s-aws-v1 token' };
  let url: URL;
  try {
    url = new URL(Buffer.from(token.slice(PREFIX.length), 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'not a presigned URL' };
  }
  const host = `sts.${auth.region}.amazonaws.com`;
  if (url.protocol !== 'https:' || url.host !== host || url.pathname !== '/')
    return { ok: false, reason: 'not the STS endpoint of the region' };
  const q = url.searchParams;
  if (q.get('Action') !== 'GetCallerIdentity' || q.get('Version') !== '2011-06-15')
    return { ok: false, reason: 'not GetCallerIdentity' };
  if (q.get('X-Amz-Algorithm') !== 'AWS4-HMAC-SHA256') return { ok: false, reason: 'not SigV4' };
  const date = amzDate(q.get('X-Amz-Date') ?? '');
  if (!date) return { ok: false, reason: 'no signing date' };
  if (now.getTime() - date.getTime() > LIFETIME_MS) return { ok: false, reason: 'expired' };
  if (date.getTime() - now.getTime() > 5 * 60_000) return { ok: false, reason: 'signed in the future' };
  const day = q.get('X-Amz-Date')!.slice(0, 8);
  const scope = `${day}/${auth.region}/sts/aws4_request`;
  if (q.get('X-Amz-Credential') !== `${auth.access_key_id}/${scope}`)
    return { ok: false, reason: 'another key or scope' };
  if ((q.get('X-Amz-Security-Token') ?? undefined) !== auth.session_token)
    return {
      ok: false,
      reason: auth.session_token ? 'no or another session token' : 'an unknown session token',
    };
  const signedHeaders = q.get('X-Amz-SignedHeaders') ?? '';
  if (!signedHeaders.split(';').includes('x-k8s-aws-id'))
    return { ok: false, reason: 'x-k8s-aws-id is not signed' };
  // The header values are the ones the token must have been signed with: the host and this cluster.
  const headerValues: Record<string, string> = { host, 'x-k8s-aws-id': auth.cluster_name };
  const names = signedHeaders.split(';');
  if (names.some((n) => !(n in headerValues))) return { ok: false, reason: 'signs an unknown header' };
  const canonicalQuery = [...q.entries()]
    .filter(([k]) => k !== 'X-Amz-Signature')
    .map(([k, v]) => [enc(k), enc(v)] as const)
    .sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const canonical = [
    'GET',
    '/',
    canonicalQuery,
    ...names.map((n) => `${n}:${headerValues[n]}`),
    '',
    signedHeaders,
    sha256(''),
  ].join('\n');
  const toSign = ['AWS4-HMAC-SHA256', q.get('X-Amz-Date'), scope, sha256(canonical)].join('\n');
  let key = hmac(`AWS4${auth.secret_access_key}`, day);
  for (const part of [auth.region, 'sts', 'aws4_request']) key = hmac(key, part);
  const expected = createHmac('sha256', key).update(toSign, 'utf8').digest();
  const given = Buffer.from(q.get('X-Amz-Signature') ?? '', 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, reason: 'signature does not match' };
  return { ok: true, user: `arn:aws:sts::000000000000:assumed-role/eks-deployer/${auth.access_key_id}` };
}
