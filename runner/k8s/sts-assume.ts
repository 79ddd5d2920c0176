/**
 * `role_arn` of an EKS cluster: the runner assumes the role with STS `AssumeRole`, signed with SigV4
 * from its own credential chain, and presigns the cluster's token with the temporary credentials STS
 * answers. A plain signed POST (the STS query API) instead of the STS client, whose package the
 * runner does not carry. Temporary credentials are cached per role, region and cluster until
 * shortly before they expire; nothing of them is ever reported.
 */
import http from 'node:http';
import https from 'node:https';
import { Sha256 } from '@aws-crypto/sha256-js';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';

/** The shortest session STS grants; the runner asks for no more than it needs. */
const DURATION_SECONDS = 900;
/** Temporary credentials are reused while more than this is left of them (a token minted with them must outlive its use). */
export const REUSE_MARGIN_MS = 5 * 60_000;
const TIMEOUT_MS = 10_000;

export type AssumeRoleInput = { role_arn: string; region: string; session: string };
export type AssumedCredentials = AwsCredentialIdentity & { sessionToken: string; expiration: Date };
export type AssumeOptions = {
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  now?: Date;
};

/**
 * STS of the region, or `K8SM_AWS_STS_ENDPOINT` (an STS VPC endpoint, or a test's loopback STS).
 * The signature's region stays the cluster's either way, as it does with a VPC endpoint.
 */
export function stsEndpoint(region: string): URL {
  const override = process.env.K8SM_AWS_STS_ENDPOINT;
  return new URL(override || `https://sts.${region}.amazonaws.com/`);
}

/** RoleSessionName allows `[\w+=,.@-]{2,64}`; the session names the platform and the cluster. */
export function sessionName(clusterId: string): string {
  return `k8s-manage-${clusterId}`.replace(/[^\w+=,.@-]/g, '-').slice(0, 64);
}

const unescapeXml = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
const element = (xml: string, name: string) => {
  const m = new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml);
  return m ? unescapeXml(m[1]!.trim()) : undefined;
};

function post(
  url: URL,
  headers: Record<string, string>,
  body: string,
): Promise<{ status: number; text: string }> {
  const mod = url.protocol === 'http:' ? http : https;
  return new Promise((resolve, reject) => {
    const req = mod.request(url, { method: 'POST', headers, timeout: TIMEOUT_MS }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`STS did not answer within ${TIMEOUT_MS / 1000}s`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** One AssumeRole call. Its failure names STS's error code and message, never a key. */
export async function assumeRole(
  input: AssumeRoleInput,
  opts: AssumeOptions = {},
): Promise<AssumedCredentials> {
  const url = stsEndpoint(input.region);
  const body = new URLSearchParams({
    Action: 'AssumeRole',
    Version: '2011-06-15',
    RoleArn: input.role_arn,
    RoleSessionName: input.session,
    DurationSeconds: String(DURATION_SECONDS),
  }).toString();
  const signer = new SignatureV4({
    credentials: opts.credentials ?? defaultProvider(),
    region: input.region,
    service: 'sts',
    sha256: Sha256,
  });
  const signed = await signer.sign(
    {
      method: 'POST',
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port ? { port: Number(url.port) } : {}),
      path: url.pathname,
      query: {},
      headers: { host: url.host, 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      body,
    },
    { signingDate: opts.now },
  );
  let res: { status: number; text: string };
  try {
    // The length is framing, not signed content: added after signing, as the SDK's HTTP handler does.
    const headers = {
      ...(signed.headers as Record<string, string>),
      'content-length': String(Buffer.byteLength(body)),
    };
    res = await post(url, headers, body);
  } catch (e) {
    throw new Error(`STS AssumeRole for ${input.role_arn} failed: ${(e as Error).message}`);
  }
  if (res.status !== 200) {
    const code = element(res.text, 'Code') ?? `HTTP ${res.status}`;
    const message = element(res.text, 'Message') ?? '';
    throw new Error(`STS refused AssumeRole for ${input.role_arn}: ${code}${message ? `: ${message}` : ''}`);
  }
  const creds = /<Credentials>([\s\S]*?)<\/Credentials>/.exec(res.text)?.[1] ?? '';
  const accessKeyId = element(creds, 'AccessKeyId');
  const secretAccessKey = element(creds, 'SecretAccessKey');
  const sessionToken = element(creds, 'SessionToken');
  const expiration = new Date(element(creds, 'Expiration') ?? '');
  if (!accessKeyId || !secretAccessKey || !sessionToken || Number.isNaN(expiration.getTime()))
    throw new Error(`STS answered AssumeRole for ${input.role_arn} without credentials`);
  return { accessKeyId, secretAccessKey, sessionToken, expiration };
}

const cache = new Map<string, AssumedCredentials>();

/** The role's temporary credentials, assumed again only when less than REUSE_MARGIN_MS is left of them. */
export async function roleCredentials(
  input: AssumeRoleInput,
  opts: AssumeOptions = {},
): Promise<AssumedCredentials> {
  const key = `${input.role_arn}|${input.region}|${input.session}|${process.env.K8SM_AWS_STS_ENDPOINT ?? ''}`;
  const now = (opts.now ?? new Date()).getTime();
  const hit = cache.get(key);
  if (hit && hit.expiration.getTime() - now > REUSE_MARGIN_MS) return hit;
  // `now` decides reuse only: the call itself is signed at the real time, as STS checks it.
  const fresh = await assumeRole(input, { ...(opts.credentials ? { credentials: opts.credentials } : {}) });
  cache.set(key, fresh);
  return fresh;
}

export function clearRoleCredentialCache() {
  cache.clear();
}
