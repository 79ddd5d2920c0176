/**
 * A release to an EKS-mode cluster: the runner mints its token from the AWS credentials of its own
 * environment (here static keys in the environment, the SDK chain's first source) and the API
 * server fixture, taught EKS's authenticator, recomputes the presigned URL's SigV4 signature with
 * the same keys and admits nothing else. No command runs anywhere.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ClusterAccess } from '../../shared/jobs/claim';
import { verifyEksToken } from '../../test/peers/k8s-fixture/eks';
import { deployment, docs, recordingContext, releaseWork } from '../../test/peers/k8s-fixture/harness';
import { type K8sFixture, startK8sFixture } from '../../test/peers/k8s-fixture/server';
import { type StsFixture, startStsFixture } from '../../test/peers/k8s-fixture/sts';
import { registerSecret } from '../../test/support/leak-guard';
import { applyK8s } from './adapter';
import { testCluster } from './cluster-test';
import { clearEksTokenCache, mintEksToken } from './eks-token';
import { REUSE_MARGIN_MS, roleCredentials } from './sts-assume';

const KEYS = {
  access_key_id: 'AKIAEKSFIXTURE000001',
  secret_access_key: registerSecret('eks-fixture-secret/abcdefghijklmnopqrstuvwxyz012345'),
};
const ENV = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE'] as const;
const saved = Object.fromEntries(ENV.map((k) => [k, process.env[k]]));
let f: K8sFixture;

const eksAccess = (cluster_name = 'shop-prod'): ClusterAccess => ({
  id: 'cl-eks',
  server: f.url,
  ca: f.ca,
  auth: { kind: 'eks', cluster_name, region: 'eu-central-1' },
});
function useKeys(secret = KEYS.secret_access_key) {
  process.env.AWS_ACCESS_KEY_ID = KEYS.access_key_id;
  process.env.AWS_SECRET_ACCESS_KEY = secret;
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
  clearEksTokenCache();
}

beforeAll(async () => {
  f = await startK8sFixture({
    namespaces: ['eks'],
    eks: { cluster_name: 'shop-prod', region: 'eu-central-1', ...KEYS },
  });
});
afterEach(() => {
  for (const k of ENV)
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  clearEksTokenCache();
});
afterAll(() => f?.stop());

describe('EKS mode', () => {
  it('serves a release with a token the runner minted itself', async () => {
    useKeys();
    const mark = f.requests().length;
    const ctx = recordingContext();
    const work = releaseWork(f, {
      namespace: 'eks',
      rendered: docs(deployment('web', 'eks', 'registry.local/web:1')),
      cluster: eksAccess(),
    });
    const report = await applyK8s(work, ctx, { pollMs: 5, rolloutTimeoutMs: 5_000 });
    expect(report.status, JSON.stringify(report)).toBe('succeeded');
    const patch = f
      .requests()
      .slice(mark)
      .find((r) => r.method === 'PATCH');
    expect(patch?.user).toMatch(/^arn:aws:sts::.*AKIAEKSFIXTURE000001$/);
    expect(f.eksVerdicts().every((v) => v.ok)).toBe(true);
    expect(JSON.stringify(ctx.reports)).not.toContain('k8s-aws-v1.');
  });

  it('is refused with another secret key, or for another cluster name', async () => {
    useKeys('not-the-secret-key');
    const ctx = recordingContext();
    const wrongKey = await testCluster(eksAccess(), ctx, { requestTimeoutMs: 5_000 });
    expect(wrongKey).toMatchObject({ status: 'failed', error_code: 'K8S_REJECTED' });
    expect(f.eksVerdicts().at(-1)).toEqual({ ok: false, reason: 'signature does not match' });

    useKeys();
    const other = await testCluster(eksAccess('another-cluster'), recordingContext(), {
      requestTimeoutMs: 5_000,
    });
    expect(other).toMatchObject({ status: 'failed', error_code: 'K8S_REJECTED' });
    expect(JSON.stringify(other)).not.toContain('k8s-aws-v1.');
  });

  it('fails with K8S_REJECTED, naming no secret, when the runner has no AWS credentials', async () => {
    for (const k of ENV) delete process.env[k];
    process.env.AWS_SHARED_CREDENTIALS_FILE = '/nonexistent/credentials';
    process.env.AWS_CONFIG_FILE = '/nonexistent/config';
    process.env.AWS_EC2_METADATA_DISABLED = 'true';
    clearEksTokenCache();
    try {
      const r = await testCluster(eksAccess(), recordingContext(), { requestTimeoutMs: 5_000 });
      expect(r).toMatchObject({ status: 'failed', error_code: 'K8S_REJECTED' });
      expect((r as { diagnostics?: { message?: string } }).diagnostics?.message).toMatch(/AWS credentials/);
    } finally {
      delete process.env.AWS_SHARED_CREDENTIALS_FILE;
      delete process.env.AWS_CONFIG_FILE;
      delete process.env.AWS_EC2_METADATA_DISABLED;
    }
  }, 60_000);
});

/**
 * `role_arn`: the runner assumes the role at a faithful loopback STS (`startStsFixture`, which
 * checks the AssumeRole request's SigV4 signature by the runner's static keys and answers real STS
 * XML), and this second API server admits only a token presigned with the temporary credentials
 * STS issued — their key, secret and session token (`X-Amz-Security-Token`).
 */
describe('EKS mode with a role to assume', () => {
  const ROLE = 'arn:aws:iam::123456789012:role/eks-deployer';
  const TEMP = {
    access_key_id: 'ASIAEKSFIXTURE000002',
    secret_access_key: registerSecret('sts-issued-secret/ZYXWVUTSRQPONMLKJIHGFEDCBA98765'),
    session_token: registerSecret('FwoGZXIvYXdzEFixtureSessionToken/+=abcdefghij0123456789'),
  };
  let kube: K8sFixture;
  let sts: StsFixture;
  const roleAccess = (role_arn = ROLE): ClusterAccess => ({
    id: 'cl-eks-role',
    server: kube.url,
    ca: kube.ca,
    auth: { kind: 'eks', cluster_name: 'shop-prod', region: 'eu-central-1', role_arn },
  });

  beforeAll(async () => {
    [kube, sts] = await Promise.all([
      startK8sFixture({
        namespaces: ['eks'],
        eks: { cluster_name: 'shop-prod', region: 'eu-central-1', ...TEMP },
      }),
      startStsFixture({ region: 'eu-central-1', caller: KEYS, role_arn: ROLE, issue: TEMP }),
    ]);
  });
  beforeEach(() => {
    process.env.K8SM_AWS_STS_ENDPOINT = sts.url;
  });
  afterEach(() => {
    delete process.env.K8SM_AWS_STS_ENDPOINT;
  });
  afterAll(async () => {
    await Promise.all([kube?.stop(), sts?.stop()]);
  });

  it('serves a release with a token presigned by the assumed role, assuming it once', async () => {
    useKeys();
    const before = sts.calls().length;
    const ctx = recordingContext();
    const work = releaseWork(kube, {
      namespace: 'eks',
      rendered: docs(deployment('web', 'eks', 'registry.local/web:1')),
      cluster: roleAccess(),
    });
    const report = await applyK8s(work, ctx, { pollMs: 5, rolloutTimeoutMs: 5_000 });
    expect(report.status, JSON.stringify(report)).toBe('succeeded');
    const tested = await testCluster(roleAccess(), recordingContext(), { requestTimeoutMs: 5_000 });
    expect(tested).toMatchObject({ status: 'succeeded' });
    expect(sts.calls().slice(before)).toEqual([
      { ok: true, role_arn: ROLE, session_name: 'k8s-manage-cl-eks-role', duration_seconds: 900 },
    ]);
    expect(kube.eksVerdicts().length).toBeGreaterThan(0);
    expect(kube.eksVerdicts().every((v) => v.ok)).toBe(true);
    expect(JSON.stringify(ctx.reports)).not.toContain('k8s-aws-v1.');
  });

  it('reuses the role’s credentials while more than 5 minutes are left of them, then assumes it again', async () => {
    useKeys();
    const input = { role_arn: ROLE, region: 'eu-central-1', session: 'k8s-manage-cache' };
    const before = sts.calls().length;
    const first = await roleCredentials(input);
    const at = (ms: number) => ({ now: new Date(first.expiration.getTime() - REUSE_MARGIN_MS + ms) });
    expect(await roleCredentials(input, at(-1_000))).toBe(first);
    expect(sts.calls().length).toBe(before + 1);
    const renewed = await roleCredentials(input, at(1_000));
    expect(renewed).not.toBe(first);
    expect(renewed).toMatchObject({ accessKeyId: TEMP.access_key_id, sessionToken: TEMP.session_token });
    expect(sts.calls().length).toBe(before + 2);
  });

  it('is refused when the token is signed by the runner itself instead of the role', async () => {
    useKeys();
    const r = await testCluster(
      { ...roleAccess(), auth: { kind: 'eks', cluster_name: 'shop-prod', region: 'eu-central-1' } },
      recordingContext(),
      { requestTimeoutMs: 5_000 },
    );
    expect(r).toMatchObject({ status: 'failed', error_code: 'K8S_REJECTED' });
    expect(kube.eksVerdicts().at(-1)).toEqual({ ok: false, reason: 'another key or scope' });

    // The role's key and secret without its session token are no use either.
    const unsessioned = await mintEksToken(
      { cluster_name: 'shop-prod', region: 'eu-central-1' },
      { credentials: { accessKeyId: TEMP.access_key_id, secretAccessKey: TEMP.secret_access_key } },
    );
    expect(
      verifyEksToken(unsessioned, { cluster_name: 'shop-prod', region: 'eu-central-1', ...TEMP }),
    ).toEqual({ ok: false, reason: 'no or another session token' });
  });

  it('fails with K8S_REJECTED and STS’s reason when the role may not be assumed or the runner’s key is wrong', async () => {
    useKeys();
    const denied = await testCluster(
      roleAccess('arn:aws:iam::123456789012:role/someone-else'),
      recordingContext(),
      { requestTimeoutMs: 5_000 },
    );
    expect(denied).toMatchObject({ status: 'failed', error_code: 'K8S_REJECTED' });
    expect(JSON.stringify(denied)).toMatch(/AccessDenied/);

    useKeys('not-the-secret-key');
    const wrongKey = await testCluster(roleAccess(), recordingContext(), { requestTimeoutMs: 5_000 });
    expect(wrongKey).toMatchObject({ status: 'failed', error_code: 'K8S_REJECTED' });
    expect(JSON.stringify(wrongKey)).toMatch(/SignatureDoesNotMatch/);
    expect(sts.calls().at(-1)).toEqual({
      ok: false,
      reason: 'SignatureDoesNotMatch: signature does not match',
    });
  });
});
