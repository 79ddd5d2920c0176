import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { backends } from '../../../test/support/databases';
import { collect, type Material, makeMaterial } from '../../../test/support/material';
import { b64 } from '../../../test/support/pki';
import { createTestPlatform, type TestPlatform } from '../../../test/support/platform';
import type { JobRow } from '../jobs/repo';
import { buildWorkOrder } from '../runners/work-order';

type User = { id: string; token: string };

describe.each(await backends())('cluster imports on %s', (backend) => {
  let p: TestPlatform;
  let m: Material;
  let admin: string;
  let a: string;
  let requester: User;
  let approver: User;
  let viewer: User;

  beforeAll(async () => {
    // Material first: the platform's clock must not start before the test certificates' notBefore.
    m = makeMaterial();
    p = await createTestPlatform(backend);
    admin = await p.adminToken();
    a = (await p.request('POST', '/projects', { token: admin, body: { name: 'alpha' } })).json.id;
    requester = await p.userWithRole('admin', a);
    approver = await p.userWithRole('approver', a);
    viewer = await p.userWithRole('viewer', a);
  });
  afterAll(async () => {
    await p.close();
    m.cleanup();
  });

  let n = 0;
  const importCluster = (body: Record<string, unknown>, token = admin) =>
    p.request('POST', '/clusters/import', { token, body: { project_id: a, name: `c-${++n}`, ...body } });
  const fields = (res: { json: any }) => res.json.error.fields.map((f: { path: string }) => f.path);
  const count = async (table: 'credentials' | 'clusters') => {
    const [row] = await p.deps.database.query<{ n: string }>(`select count(*) as n from ${table}`);
    return Number(row!.n);
  };
  /** Reveals a credential through the whole ticket flow; the payload response is not recorded. */
  async function revealed(credentialId: string) {
    const ticket = (
      await p.request('POST', `/credentials/${credentialId}/reveal`, { token: requester.token, body: {} })
    ).json.approval_ticket;
    await p.request('POST', `/approvals/inbox/${ticket}/decision`, {
      token: approver.token,
      body: { decision: 'approve', comment: 'ok' },
    });
    return (await collect(p, requester.token, credentialId, ticket)).json;
  }

  it('imports by kubeconfig: an external cluster and a kubeconfig credential holding the file as given', async () => {
    const kubeconfig = m.kubeconfig(m.certUser);
    const res = await importCluster({ mode: 'kubeconfig', kubeconfig });
    expect(res.status, res.text).toBe(201);
    expect(res.json).toMatchObject({
      id: expect.stringMatching(/^cls_/),
      project_id: a,
      cluster_source: 'external_managed',
      mode: 'kubeconfig',
      server: 'https://10.0.0.10:6443',
      runner_pool_id: null,
      metadata: {
        auth: 'client_certificate',
        namespace: 'payments',
        kubeconfig: { context: 'prod-admin' },
        client_cert: { subject: 'O=system:masters, CN=admin' },
      },
    });
    // The test PKI is valid for 30 days: close enough to its end to say so on every read.
    expect(res.json.warnings).toEqual([
      { path: 'client_cert', message: expect.stringMatching(/^the client certificate expires at /) },
    ]);
    const cred = await p.request('GET', `/credentials/${res.json.credential_id}`, { token: viewer.token });
    expect(cred.json).toMatchObject({ kind: 'kubeconfig', name: `cluster.c-${n}`, project_id: a });
    expect(await revealed(res.json.credential_id)).toMatchObject({
      kind: 'kubeconfig',
      payload: { kubeconfig },
    });

    const got = await p.request('GET', `/clusters/${res.json.id}`, { token: viewer.token });
    expect(got.json).toEqual(res.json);
    const events = await p.request('GET', `/audit/events?resource_id=${res.json.id}`, { token: admin });
    expect(events.json.items.map((e: { action: string }) => e.action)).toEqual(['cluster.imported']);
  });

  it('imports an EKS kubeconfig as mode eks: its exec user is read, never run, and stays so on rotation', async () => {
    const eksKc = (server: string, args: string[]) =>
      stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'eks', cluster: { server, 'certificate-authority-data': b64(m.pki.caPem) } }],
        users: [
          {
            name: 'eks',
            user: { exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', command: 'aws', args } },
          },
        ],
        contexts: [{ name: 'eks', context: { cluster: 'eks', user: 'eks' } }],
        'current-context': 'eks',
      });
    const server = 'https://abcdef.gr7.eu-west-1.eks.amazonaws.com';
    const kubeconfig = eksKc(server, ['eks', 'get-token', '--cluster-name', 'shop']);
    const res = await importCluster({ mode: 'kubeconfig', kubeconfig });
    expect(res.status, res.text).toBe(201);
    expect(res.json).toMatchObject({
      mode: 'eks',
      server,
      metadata: { auth: 'eks', eks: { cluster_name: 'shop', region: 'eu-west-1' } },
    });
    const cred = await p.request('GET', `/credentials/${res.json.credential_id}`, { token: viewer.token });
    expect(cred.json).toMatchObject({ kind: 'kubeconfig' });

    const role = await importCluster({
      mode: 'kubeconfig',
      kubeconfig: eksKc(server, [
        'eks',
        'get-token',
        '--cluster-name',
        'shop',
        '--role-arn',
        'arn:aws:iam::1:role/d',
      ]),
    });
    expect(role.status, role.text).toBe(422);
    expect(fields(role)).toEqual(['kubeconfig.users[0].user.exec.args']);
    const ROLE = 'arn:aws:iam::123456789012:role/eks-deployer';
    const withRole = await importCluster({
      mode: 'kubeconfig',
      kubeconfig: eksKc(server, ['eks', 'get-token', '--cluster-name', 'shop', '--role-arn', ROLE]),
    });
    expect(withRole.status, withRole.text).toBe(201);
    expect(withRole.json).toMatchObject({
      mode: 'eks',
      metadata: { eks: { cluster_name: 'shop', region: 'eu-west-1', role_arn: ROLE } },
    });
    // The runner learns the role from its work order; nothing secret travels with it.
    const job = {
      id: 'job_eks',
      kind: 'cluster_test',
      payload: { cluster_id: withRole.json.id },
    } as unknown as JobRow;
    const order = (await buildWorkOrder(p.deps.database.db, p.deps.keys, job, p.deps.jobKinds)) as {
      cluster: { auth: unknown };
    };
    expect(order.cluster.auth).toEqual({
      kind: 'eks',
      cluster_name: 'shop',
      region: 'eu-west-1',
      role_arn: ROLE,
    });

    // A rotation may not turn an EKS cluster into a token one (or back) behind the operator's back.
    const tokenKc = stringify({
      clusters: [{ name: 'eks', cluster: { server, 'certificate-authority-data': b64(m.pki.caPem) } }],
      users: [{ name: 'eks', user: { token: m.token } }],
      contexts: [{ name: 'eks', context: { cluster: 'eks', user: 'eks' } }],
      'current-context': 'eks',
    });
    const rotated = await p.request('POST', `/credentials/${res.json.credential_id}/rotate`, {
      token: admin,
      body: { payload: { kubeconfig: tokenKc } },
    });
    expect(rotated.status, rotated.text).toBe(422);
  });

  it('imports with a chosen context, by certificate set and by token', async () => {
    const kc = stringify({
      clusters: [
        {
          name: 'x',
          cluster: { server: 'https://k8s.internal:6443', 'certificate-authority-data': b64(m.pki.caPem) },
        },
      ],
      users: [{ name: 'bot', user: { token: m.token } }],
      contexts: [{ name: 'bot', context: { cluster: 'x', user: 'bot' } }],
    });
    const chosen = await importCluster({ mode: 'kubeconfig', kubeconfig: kc, context: 'bot' });
    expect(chosen.status, chosen.text).toBe(201);
    expect(chosen.json).toMatchObject({
      server: 'https://k8s.internal:6443',
      metadata: { auth: 'token' },
      warnings: [],
    });

    const certSet = await importCluster({
      mode: 'cert_set',
      endpoint: 'https://10.0.0.11:6443/',
      ca: m.pki.caPem,
      cert: m.pki.clientCertPem,
      key: m.pki.clientKeyPem,
    });
    expect(certSet.status, certSet.text).toBe(201);
    expect(certSet.json).toMatchObject({ mode: 'cert_set', server: 'https://10.0.0.11:6443' });
    const certPayload = await revealed(certSet.json.credential_id);
    expect(certPayload).toEqual({
      credential_id: certSet.json.credential_id,
      kind: 'cert_set',
      payload: { ca: m.pki.caPem, cert: m.pki.clientCertPem, key: m.pki.clientKeyPem },
    });

    const tok = await importCluster({
      mode: 'token',
      endpoint: 'https://10.0.0.12:6443',
      ca: m.pki.caPem,
      token: m.token,
    });
    expect(tok.status, tok.text).toBe(201);
    expect(tok.json.metadata.ca_pem).toContain('BEGIN CERTIFICATE');
    expect((await revealed(tok.json.credential_id)).payload).toEqual({ token: m.token });
  });

  it('refuses hostile kubeconfigs with exact paths, stores nothing, and stays healthy', async () => {
    const before = [await count('credentials'), await count('clusters')];
    const kc = (user: Record<string, unknown>, cluster: Record<string, unknown> = {}) =>
      stringify({
        clusters: [
          {
            name: 'prod',
            cluster: {
              server: 'https://10.0.0.10:6443',
              'certificate-authority-data': b64(m.pki.caPem),
              ...cluster,
            },
          },
        ],
        users: [{ name: 'admin', user }],
        contexts: [{ name: 'prod', context: { cluster: 'prod', user: 'admin' } }],
        'current-context': 'prod',
      });
    const laughs = [
      'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
      ...'bcdefghi'
        .split('')
        .map((k, i) => `${k}: &${k} [*${'abcdefghi'[i]},*${'abcdefghi'[i]},*${'abcdefghi'[i]}]`),
    ].join('\n');
    const cases: [string, Record<string, unknown>, string][] = [
      [
        'exec user',
        { kubeconfig: kc({ exec: { command: 'sh', apiVersion: 'client.authentication.k8s.io/v1' } }) },
        'kubeconfig.users[0].user.exec',
      ],
      [
        'auth-provider',
        { kubeconfig: kc({ 'auth-provider': { name: 'gcp' } }) },
        'kubeconfig.users[0].user.auth-provider',
      ],
      [
        'token file',
        { kubeconfig: kc({ tokenFile: '/var/run/secrets/token' }) },
        'kubeconfig.users[0].user.tokenFile',
      ],
      [
        'client cert file',
        { kubeconfig: kc({ 'client-certificate': '/etc/k/c.crt', 'client-key': '/etc/k/c.key' }) },
        'kubeconfig.users[0].user.client-certificate',
      ],
      [
        'metadata server',
        { kubeconfig: kc({ token: m.token }, { server: 'https://169.254.169.254' }) },
        'kubeconfig.clusters[0].cluster.server',
      ],
      [
        'plain http',
        { kubeconfig: kc({ token: m.token }, { server: 'http://10.0.0.10:6443' }) },
        'kubeconfig.clusters[0].cluster.server',
      ],
      [
        'insecure TLS',
        { kubeconfig: kc({ token: m.token }, { 'insecure-skip-tls-verify': true }) },
        'kubeconfig.clusters[0].cluster.insecure-skip-tls-verify',
      ],
      [
        'CA file',
        { kubeconfig: kc({ token: m.token }, { 'certificate-authority': '/etc/ca.crt' }) },
        'kubeconfig.clusters[0].cluster.certificate-authority',
      ],
      ['billion laughs', { kubeconfig: laughs }, 'kubeconfig'],
    ];
    for (const [what, body, path] of cases) {
      const res = await importCluster({ mode: 'kubeconfig', ...body });
      expect([what, res.status]).toEqual([what, 422]);
      expect([what, fields(res)]).toEqual([what, expect.arrayContaining([path])]);
    }
    const endpoint = await importCluster({
      mode: 'token',
      endpoint: 'https://[::ffff:169.254.169.254]',
      ca: m.pki.caPem,
      token: m.token,
    });
    expect(fields(endpoint)).toEqual(['endpoint']);
    expect((await p.request('GET', '/health')).status).toBe(200);
    expect([await count('credentials'), await count('clusters')]).toEqual(before);
  });

  it('answers 413 for an oversized kubeconfig and 422 for material a mode does not use', async () => {
    const huge = await importCluster({ mode: 'kubeconfig', kubeconfig: `# ${'x'.repeat(300 * 1024)}` });
    expect([huge.status, huge.json.error.code, fields(huge)]).toEqual([
      413,
      'PAYLOAD_TOO_LARGE',
      ['kubeconfig'],
    ]);
    const mixed = await importCluster({
      mode: 'kubeconfig',
      kubeconfig: m.kubeconfig(m.certUser),
      token: m.token,
    });
    expect([mixed.status, fields(mixed)]).toEqual([422, ['token']]);
    const missing = await importCluster({ mode: 'cert_set', endpoint: 'https://10.0.0.1' });
    expect(fields(missing).sort()).toEqual(['ca', 'cert', 'key']);
    const pool = await importCluster({
      mode: 'token',
      endpoint: 'https://10.0.0.1',
      ca: m.pki.caPem,
      token: m.token,
      runner_pool_id: 'pool_1',
    });
    expect(fields(pool)).toEqual(['runner_pool_id']);
    const dup = await importCluster({
      mode: 'token',
      endpoint: 'https://10.0.0.1',
      ca: m.pki.caPem,
      token: m.token,
      name: 'same',
    });
    expect(dup.status).toBe(201);
    const again = await importCluster({
      mode: 'token',
      endpoint: 'https://10.0.0.1',
      ca: m.pki.caPem,
      token: m.token,
      name: 'same',
    });
    expect([again.status, again.json.error.code]).toEqual([409, 'ALREADY_EXISTS']);
  });

  it('needs both cluster:write and credential:import', async () => {
    await p.request('POST', '/roles', {
      token: admin,
      body: { name: 'cluster-writer', permissions: ['cluster:write', 'cluster:read'] },
    });
    const writer = await p.userWithRole('cluster-writer', a);
    const res = await importCluster(
      { mode: 'token', endpoint: 'https://10.0.0.1', ca: m.pki.caPem, token: m.token },
      writer.token,
    );
    expect(res.status).toBe(403);
    expect(res.json.error.message).toContain('credential:import');
    expect((await importCluster({ mode: 'token' }, viewer.token)).status).toBe(403);
  });

  it('keeps the credential while the cluster uses it, and rotates it only to material for the same server', async () => {
    const c = (await importCluster({ mode: 'kubeconfig', kubeconfig: m.kubeconfig(m.certUser) })).json;
    const del = await p.request('DELETE', `/credentials/${c.credential_id}`, { token: admin });
    expect([del.status, del.json.error.code]).toEqual([409, 'IN_USE']);
    const rotate = (kubeconfig: string) =>
      p.request('POST', `/credentials/${c.credential_id}/rotate`, {
        token: admin,
        body: { payload: { kubeconfig } },
      });
    const elsewhere = await rotate(m.kubeconfig(m.certUser, 'https://10.9.9.9:6443'));
    expect([elsewhere.status, fields(elsewhere)]).toEqual([422, ['payload']]);
    const next = m.kubeconfig({ token: m.token });
    const ok = await rotate(next);
    expect(ok.status, ok.text).toBe(200);
    const after = await p.request('GET', `/clusters/${c.id}`, { token: admin });
    expect(after.json.metadata).toMatchObject({ auth: 'token', client_cert: null });
    expect(after.json.warnings).toEqual([]);
    expect((await revealed(c.credential_id)).payload).toEqual({ kubeconfig: next });
  });

  it('answers a connection test without a runner pool with 409 NO_RUNNER_POOL', async () => {
    const c = (
      await importCluster({ mode: 'token', endpoint: 'https://10.0.0.1', ca: m.pki.caPem, token: m.token })
    ).json;
    const res = await p.request('POST', `/clusters/${c.id}/test-connection`, { token: admin });
    expect([res.status, res.json.error.code]).toEqual([409, 'NO_RUNNER_POOL']);
    expect(
      (await p.request('POST', `/clusters/${c.id}/test-connection`, { token: viewer.token })).status,
    ).toBe(403);
    expect((await p.request('POST', '/clusters/cls_nope/test-connection', { token: admin })).status).toBe(
      404,
    );
  });

  it("lists a project's clusters to its readers only", async () => {
    const b = (await p.request('POST', '/projects', { token: admin, body: { name: 'beta' } })).json.id;
    const theirs = await p.request('POST', '/clusters/import', {
      token: admin,
      body: {
        project_id: b,
        name: 'x',
        mode: 'token',
        endpoint: 'https://10.0.0.1',
        ca: m.pki.caPem,
        token: m.token,
      },
    });
    expect(theirs.status).toBe(201);
    const list = await p.request('GET', '/clusters?limit=200', { token: viewer.token });
    expect(list.json.items.length).toBeGreaterThan(3);
    expect(list.json.items.every((c: { project_id: string }) => c.project_id === a)).toBe(true);
    expect((await p.request('GET', `/clusters/${theirs.json.id}`, { token: viewer.token })).status).toBe(403);
    expect((await p.request('GET', `/clusters?project_id=${b}`, { token: viewer.token })).status).toBe(403);
  });
});
