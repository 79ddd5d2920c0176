/**
 * EKS authentication without a command: the token `aws eks get-token` would print, minted here.
 * It is a presigned STS GetCallerIdentity URL whose signature covers the `x-k8s-aws-id` header (the
 * cluster's name), so it is good for that cluster only; EKS accepts it for 15 minutes after signing.
 * Credentials come from the AWS SDK's default chain of the runner's own environment (keys in the
 * environment, a profile, IRSA/web identity, the instance or task role) — never from the platform.
 * With `role_arn` the runner first assumes that role with them and signs with the role's temporary
 * credentials (their session token travels in the URL as `X-Amz-Security-Token`).
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { clearRoleCredentialCache, roleCredentials, sessionName } from './sts-assume';

export const EKS_TOKEN_PREFIX = 'k8s-aws-v1.';
/** How long EKS accepts a token after it was signed. */
export const EKS_TOKEN_LIFETIME_MS = 15 * 60_000;
/** A cached token is reused only while well inside its lifetime, so a job never starts on one about to lapse. */
const CACHE_FOR_MS = 10 * 60_000;

/** `cluster_id` names the STS session when a role is assumed. */
export type EksCluster = { cluster_name: string; region: string; role_arn?: string; cluster_id?: string };
export type MintOptions = {
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  now?: Date;
};

export async function mintEksToken(cluster: EksCluster, opts: MintOptions = {}): Promise<string> {
  return (await mint(cluster, opts)).token;
}

/** The token and until when it may be reused: with a role, no longer than its credentials last. */
async function mint(cluster: EksCluster, opts: MintOptions): Promise<{ token: string; until: number }> {
  const now = (opts.now ?? new Date()).getTime();
  let credentials = opts.credentials ?? defaultProvider();
  let until = now + CACHE_FOR_MS;
  if (cluster.role_arn) {
    const role = await roleCredentials(
      {
        role_arn: cluster.role_arn,
        region: cluster.region,
        session: sessionName(cluster.cluster_id ?? cluster.cluster_name),
      },
      { credentials, now: opts.now },
    );
    credentials = role;
    until = Math.min(until, role.expiration.getTime() - 60_000);
  }
  const hostname = `sts.${cluster.region}.amazonaws.com`;
  const signer = new SignatureV4({
    credentials,
    region: cluster.region,
    service: 'sts',
    sha256: Sha256,
  });
  const signed = await signer.presign(
    {
      method: 'GET',
      protocol: 'https:',
      hostname,
      path: '/',
      query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
      headers: { host: hostname, 'x-k8s-aws-id': cluster.cluster_name },
    },
    { expiresIn: 60, signingDate: opts.now },
  );
  const query = Object.entries(signed.query ?? {})
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join('&');
  const url = `https://${hostname}/?${query}`;
  return { token: EKS_TOKEN_PREFIX + Buffer.from(url, 'utf8').toString('base64url'), until };
}

const cache = new Map<string, { token: string; until: number }>();

/** The token for a cluster, minted at most once per 10 minutes per cluster, region and role. */
export async function eksToken(cluster: EksCluster, opts: MintOptions = {}): Promise<string> {
  const key = `${cluster.region}/${cluster.cluster_name}/${cluster.role_arn ?? ''}`;
  const now = (opts.now ?? new Date()).getTime();
  const hit = cache.get(key);
  if (hit && hit.until > now) return hit.token;
  const minted = await mint(cluster, opts);
  cache.set(key, minted);
  return minted.token;
}

/** Tests and a credential change in the environment start from scratch. */
export function clearEksTokenCache() {
  cache.clear();
  clearRoleCredentialCache();
}
