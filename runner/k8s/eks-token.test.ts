import { describe, expect, it } from 'vitest';
import { verifyEksToken } from '../../test/peers/k8s-fixture/eks';
import { EKS_TOKEN_PREFIX, mintEksToken } from './eks-token';

// Static test keys: the verifier recomputes the signature with the same secret, as STS would.
const KEYS = {
  accessKeyId: 'AKIAEKSTESTKEY000001',
  secretAccessKey: 'eks-test-secret/0123456789abcdefABCDEF',
};
const AUTHORITY = {
  cluster_name: 'shop-prod',
  region: 'eu-west-1',
  access_key_id: KEYS.accessKeyId,
  secret_access_key: KEYS.secretAccessKey,
};
const CLUSTER = { cluster_name: 'shop-prod', region: 'eu-west-1' };
const NOW = new Date('2026-12-07T12:00:00Z');

describe('EKS tokens minted by the runner', () => {
  it('is a base64url presigned GetCallerIdentity that signs the cluster name, and the fixture accepts it', async () => {
    const token = await mintEksToken(CLUSTER, { credentials: KEYS, now: NOW });
    expect(token.startsWith(EKS_TOKEN_PREFIX)).toBe(true);
    const body = token.slice(EKS_TOKEN_PREFIX.length);
    expect(body).toMatch(/^[A-Za-z0-9_-]+$/); // base64url, no padding
    const url = new URL(Buffer.from(body, 'base64url').toString('utf8'));
    expect(url.host).toBe('sts.eu-west-1.amazonaws.com');
    expect(url.searchParams.get('Action')).toBe('GetCallerIdentity');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('60');
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe('host;x-k8s-aws-id');
    expect(verifyEksToken(token, AUTHORITY, new Date(NOW.getTime() + 60_000))).toMatchObject({ ok: true });
  });

  it('is refused when signed with another secret key', async () => {
    const token = await mintEksToken(CLUSTER, {
      credentials: { ...KEYS, secretAccessKey: 'not-the-secret' },
      now: NOW,
    });
    expect(verifyEksToken(token, AUTHORITY, NOW)).toEqual({ ok: false, reason: 'signature does not match' });
  });

  it('is refused once 15 minutes have passed since signing', async () => {
    const token = await mintEksToken(CLUSTER, { credentials: KEYS, now: NOW });
    expect(verifyEksToken(token, AUTHORITY, new Date(NOW.getTime() + 16 * 60_000))).toEqual({
      ok: false,
      reason: 'expired',
    });
  });

  it('is refused by another cluster, though signed with the right key', async () => {
    const token = await mintEksToken({ ...CLUSTER, cluster_name: 'other' }, { credentials: KEYS, now: NOW });
    expect(verifyEksToken(token, AUTHORITY, NOW)).toEqual({ ok: false, reason: 'signature does not match' });
  });

  it('is refused when minted for another region, or tampered with', async () => {
    const other = await mintEksToken({ ...CLUSTER, region: 'us-east-1' }, { credentials: KEYS, now: NOW });
    expect(verifyEksToken(other, AUTHORITY, NOW).ok).toBe(false);
    const token = await mintEksToken(CLUSTER, { credentials: KEYS, now: NOW });
    const url = Buffer.from(token.slice(EKS_TOKEN_PREFIX.length), 'base64url')
      .toString('utf8')
      .replace('GetCallerIdentity', 'GetSessionToken');
    const tampered = EKS_TOKEN_PREFIX + Buffer.from(url).toString('base64url');
    expect(verifyEksToken(tampered, AUTHORITY, NOW).ok).toBe(false);
  });
});
