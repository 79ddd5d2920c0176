/**
 * Reaching a cluster: TLS trust, credentials, and what a cluster test and a release report when
 * either fails. The peer is a fixture speaking the Kubernetes API wire contract over real TLS
 * (test/peers/k8s-fixture), since no real API server can run where these tests run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  certAccess,
  configMap,
  finalSteps,
  recordingContext,
  releaseWork,
  tokenAccess,
} from '../../test/peers/k8s-fixture/harness';
import { type K8sFixture, startK8sFixture } from '../../test/peers/k8s-fixture/server';
import { recordResponse, registerSecret } from '../../test/support/leak-guard';
import { applyK8s } from './adapter';
import { testCluster } from './cluster-test';

let f: K8sFixture;

beforeAll(async () => {
  f = await startK8sFixture({ namespaces: ['certs'] });
  registerSecret(f.token);
  registerSecret(f.clientKey);
});
afterAll(() => f?.stop());

const unreachable = { reachable: false, version: null, latency_ms: null };

describe('testCluster', () => {
  it('reports the server gitVersion and the latency of /version', async () => {
    const ctx = recordingContext();
    const report = await testCluster(tokenAccess(f), ctx);

    expect(report).toEqual({
      status: 'succeeded',
      result: { reachable: true, version: 'v1.31.4', latency_ms: expect.any(Number) },
    });
    const latency = report.result?.latency_ms as number;
    expect(Number.isInteger(latency) && latency >= 0 && latency < 5_000).toBe(true);
    expect(finalSteps(ctx.reports)['k8s.version']).toMatchObject({ status: 'succeeded' });
    expect(f.requests().at(-1)).toMatchObject({
      method: 'GET',
      path: expect.stringMatching(/^\/version\/?$/),
    });
  });

  it('reports which of the target namespaces exist, for the preview checks', async () => {
    const ctx = recordingContext();
    const report = await testCluster(tokenAccess(f), ctx, { namespaces: ['certs', 'absent'] });
    expect(report.result).toMatchObject({ reachable: true, namespaces: { certs: true, absent: false } });
    expect(finalSteps(ctx.reports)['k8s.namespaces']).toMatchObject({ status: 'succeeded' });
  });

  it.each([
    ['a CA that did not sign the server certificate', () => tokenAccess(f, { ca: f.otherCa })],
    ['the system roots (the fixture CA is not among them)', () => tokenAccess(f, { ca: null })],
    [
      'a server name the certificate does not carry',
      () => tokenAccess(f, { tls_server_name: 'wrong.example' }),
    ],
  ])('reports CLUSTER_UNREACHABLE when trusting %s, and sends nothing', async (_, access) => {
    const mark = f.requests().length;
    const ctx = recordingContext();
    const report = await testCluster(access(), ctx);

    expect(report).toMatchObject({
      status: 'failed',
      error_code: 'CLUSTER_UNREACHABLE',
      result: unreachable,
    });
    expect(String(report.diagnostics?.message)).toMatch(/^cannot reach https:\/\/127\.0\.0\.1:\d+: /);
    expect(f.requests().length).toBe(mark);
    expect(finalSteps(ctx.reports)['k8s.version']).toMatchObject({
      status: 'failed',
      error_code: 'CLUSTER_UNREACHABLE',
    });
  });

  it('verifies the server under tls_server_name when one is given', async () => {
    const report = await testCluster(
      tokenAccess(f, { tls_server_name: 'kubernetes.default.svc' }),
      recordingContext(),
    );
    expect(report.status).toBe('succeeded');
  });

  it('reports CLUSTER_UNREACHABLE when nothing listens at the address', async () => {
    const gone = await startK8sFixture();
    await gone.stop();
    const report = await testCluster({ ...tokenAccess(gone), ca: gone.ca }, recordingContext());
    expect(report).toMatchObject({
      status: 'failed',
      error_code: 'CLUSTER_UNREACHABLE',
      result: unreachable,
    });
    expect(String(report.diagnostics?.message)).toContain('ECONNREFUSED');
  });

  it('reports K8S_REJECTED for a token the server did not issue, without the token', async () => {
    const wrong = registerSecret('wrong-token-0123456789abcdef');
    const ctx = recordingContext();
    const report = await testCluster(tokenAccess(f, { auth: { kind: 'token', token: wrong } }), ctx);
    recordResponse(JSON.stringify([report, ctx.reports]));

    expect(report).toMatchObject({ status: 'failed', error_code: 'K8S_REJECTED', result: unreachable });
    expect(report.diagnostics?.message).toBe('the cluster refused the credentials: HTTP 401 Unauthorized');
    expect(JSON.stringify([report, ctx.reports])).not.toContain(wrong);
  });

  it('authenticates with a client certificate signed by the cluster client CA', async () => {
    const report = await testCluster(certAccess(f), recordingContext());
    expect(report).toMatchObject({ status: 'succeeded', result: { reachable: true, version: 'v1.31.4' } });
  });

  it('reports K8S_REJECTED for a client certificate from another CA', async () => {
    const report = await testCluster(certAccess(f, f.foreignCert, f.foreignKey), recordingContext());
    expect(report).toMatchObject({ status: 'failed', error_code: 'K8S_REJECTED', result: unreachable });
  });
});

describe('a release that cannot get in', () => {
  it('fails at k8s.connect with CLUSTER_UNREACHABLE under the wrong CA, before any other step', async () => {
    const ctx = recordingContext();
    const work = releaseWork(f, {
      namespace: 'certs',
      rendered: configMap('x', 'certs'),
      cluster: tokenAccess(f, { ca: f.otherCa }),
    });
    const report = await applyK8s(work, ctx);

    expect(report).toMatchObject({ status: 'failed', error_code: 'CLUSTER_UNREACHABLE' });
    expect(Object.keys(finalSteps(ctx.reports))).toEqual(['k8s.connect']);
  });

  it('fails at k8s.connect with K8S_REJECTED for a bad token', async () => {
    const ctx = recordingContext();
    const cluster = tokenAccess(f, { auth: { kind: 'token', token: 'not-the-token' } });
    const report = await applyK8s(
      releaseWork(f, { namespace: 'certs', rendered: configMap('x', 'certs'), cluster }),
      ctx,
    );
    expect(report).toMatchObject({ status: 'failed', error_code: 'K8S_REJECTED' });
    expect(finalSteps(ctx.reports)['k8s.connect']).toMatchObject({
      status: 'failed',
      error_code: 'K8S_REJECTED',
    });
  });

  it('applies with client-certificate auth, as the certificate subject', async () => {
    const mark = f.requests().length;
    const work = releaseWork(f, {
      namespace: 'certs',
      rendered: configMap('x', 'certs'),
      cluster: certAccess(f),
    });
    const report = await applyK8s(work, recordingContext(), { pollMs: 5 });

    expect(report.status).toBe('succeeded');
    const patch = f
      .requests()
      .slice(mark)
      .find((r) => r.method === 'PATCH');
    expect(patch).toMatchObject({
      path: '/api/v1/namespaces/certs/configmaps/x',
      user: 'k8s-manage-deployer',
    });
  });
});
