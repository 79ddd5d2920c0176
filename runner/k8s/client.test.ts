import { ApiException } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import type { ClusterAccess } from '../../shared/jobs/claim';
import { StepError } from '../jobs/steps';
import { describeK8sError, k8sStepError, kubeConfigFor } from './client';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const access = (over: Partial<ClusterAccess> = {}): ClusterAccess => ({
  id: 'c1',
  server: 'https://10.0.0.1:6443/',
  ca: PEM,
  auth: { kind: 'token', token: 'tok' },
  ...over,
});

describe('kubeConfigFor', () => {
  it('holds one cluster, user and context, verifying TLS against the given CA', () => {
    const kc = kubeConfigFor(access({ tls_server_name: 'api.internal' }));
    expect(kc.getClusters()).toEqual([
      {
        name: 'target',
        server: 'https://10.0.0.1:6443',
        skipTLSVerify: false,
        caData: Buffer.from(PEM).toString('base64'),
        tlsServerName: 'api.internal',
      },
    ]);
    expect(kc.getUsers()).toEqual([{ name: 'deployer', token: 'tok' }]);
    expect(kc.getContexts()).toEqual([{ name: 'target', cluster: 'target', user: 'deployer' }]);
    expect(kc.getCurrentContext()).toBe('target');
  });

  it('carries a client certificate as inline data, never as a file or plugin', () => {
    const kc = kubeConfigFor(access({ auth: { kind: 'client_cert', cert: 'CERT', key: 'KEY' } }));
    const [user] = kc.getUsers();
    expect(user).toEqual({ name: 'deployer', certData: 'Q0VSVA==', keyData: 'S0VZ' });
  });

  it('leaves out caData when the system roots are to be used', () => {
    expect(kubeConfigFor(access({ ca: null })).getClusters()[0]).not.toHaveProperty('caData');
  });

  it('refuses a server that is not https', () => {
    expect(() => kubeConfigFor(access({ server: 'http://10.0.0.1:8080' }))).toThrow(/https/);
  });
});

describe('k8sStepError', () => {
  it('maps transport failures to CLUSTER_UNREACHABLE, 4xx to K8S_REJECTED, 5xx to APPLY_FAILED', () => {
    const status = (code: number) =>
      new ApiException(code, 'm', { kind: 'Status', message: `said ${code}` }, {});
    expect(
      k8sStepError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), 'op', (s) => s)
        .code,
    ).toBe('CLUSTER_UNREACHABLE');
    expect(k8sStepError(status(422), 'apply X', (s) => s)).toMatchObject({
      code: 'K8S_REJECTED',
      message: 'apply X: said 422',
    });
    expect(k8sStepError(status(500), 'op', (s) => s).code).toBe('APPLY_FAILED');
  });

  it('never uses the exception message, which embeds the response body and headers', () => {
    const e = new ApiException(403, 'Forbidden', '{"message":"forbidden: no"}', {
      'set-cookie': 'session=abc',
    });
    expect(describeK8sError(e)).toEqual({ status: 403, reason: null, message: 'forbidden: no' });
  });

  it('reports TIMEOUT once the job is aborted, whatever the request said', () => {
    const c = new AbortController();
    c.abort();
    const err = k8sStepError(new Error('aborted'), 'op', (s) => s, c.signal);
    expect(err).toBeInstanceOf(StepError);
    expect(err.code).toBe('TIMEOUT');
  });
});
