/**
 * EKS authentication without a command: the token `aws eks get-token` would print, minted here.
 * It is a presigned STS GetCallerIdentity URL whose signature covers the `x-k8s-aws-id` header (the
 * cluster's name), so it is good for that cluster only; EKS accepts it for 15 minutes after signing.
 * Credentials come from the AWS SDK's default chain of the runner's own environment (keys in the
 * environment, a profile, IRSA/web identity, the instance or task role) — never from the platform.
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';

export const EKS_TOKEN_PREFIX = 'k8s-aws-v1.';
/** How long EKS accepts a token after it was signed. */
export const EKS_TOKEN_LIFETIME_MS = 15 * 60_000;
/** A cached token is reused only while well inside its lifetime, so a job never starts on one about to lapse. */
const CACHE_FOR_MS = 10 * 60_000;

export type EksCluster = { cluster_name: string; region: string };
export type MintOptions = {
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  now?: Date;
};

export async function mintEksToken(cluster: EksCluster, opts: MintOptions = {}): Promise<string> {
  const hostname = `sts.${cluster.region}.amazonaws.com`;
  const signer = new SignatureV4({
    credentials: opts.credentials ?? defaultProvider(),
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
  return EKS_TOKEN_PREFIX + Buffer.from(url, 'utf8').toString('base64url');
}

const cache = new Map<string, { token: string; until: number }>();

/** The token for a cluster, minted at most once per 10 minutes per cluster and region. */
export async function eksToken(cluster: EksCluster, opts: MintOptions = {}): Promise<string> {
  const key = `${cluster.region}/${cluster.cluster_name}`;
  const now = (opts.now ?? new Date()).getTime();
  const hit = cache.get(key);
  if (hit && hit.until > now) return hit.token;
  const token = await mintEksToken(cluster, opts);
  cache.set(key, { token, until: now + CACHE_FOR_MS });
  return token;
}

/** Tests and a credential change in the environment start from scratch. */
export function clearEksTokenCache() {
  cache.clear();
}
