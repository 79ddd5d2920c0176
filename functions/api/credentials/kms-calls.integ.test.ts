/**
 * The whole platform with KMS as its key provider. No KMS emulator runs on this machine, so KMS is
 * faked at the SDK boundary (test/support/fake-kms.ts speaks the JSON wire
 * protocol and refuses what KMS refuses); the count of calls it receives is the measure here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeKms } from '../../../test/support/fake-kms';
import { registerSecret } from '../../../test/support/leak-guard';
import { createTestPlatform, type TestPlatform } from '../../../test/support/platform';
import { createKmsKeyProvider } from '../../platform/keys/kms';

describe('credentials on KMS', () => {
  const fake = new FakeKms();
  fake.createKey('alias/k8sm');
  let p: TestPlatform;
  let admin: string;
  let project: string;

  beforeAll(async () => {
    const keys = createKmsKeyProvider({
      keyId: 'alias/k8sm',
      aws: { region: 'eu-west-1', endpoint: undefined },
      client: fake.client(),
    });
    p = await createTestPlatform('pglite', {}, { keys });
    admin = await p.adminToken();
    project = (await p.request('POST', '/projects', { token: admin, body: { name: 'kms' } })).json.id;
  });
  afterAll(() => p.close());

  it('makes exactly one KMS call per create, none per metadata read, one per reveal', async () => {
    const before = fake.total();
    const keysMadeBefore = fake.calls.GenerateDataKey ?? 0;
    const password = registerSecret('kms-counted-password-1');
    const made = await p.request('POST', '/credentials', {
      token: admin,
      body: { project_id: project, name: 'db', kind: 'ssh_password', payload: { password } },
    });
    expect(made.status, made.text).toBe(201);
    expect(fake.total() - before).toBe(1);
    expect((fake.calls.GenerateDataKey ?? 0) - keysMadeBefore).toBe(1);

    await p.request('GET', `/credentials/${made.json.id}`, { token: admin });
    await p.request('GET', `/credentials?project_id=${project}`, { token: admin });
    expect(fake.total() - before).toBe(1);

    const asked = await p.request('POST', `/credentials/${made.json.id}/reveal`, { token: admin, body: {} });
    const approver = await p.userWithRole('approver', project);
    await p.request('POST', `/approvals/inbox/${asked.json.approval_ticket}/decision`, {
      token: approver.token,
      body: { decision: 'approve' },
    });
    const beforeReveal = fake.total();
    // Read through the app directly: this one response legitimately holds the secret.
    const res = await p.app.request(`/api/v1/credentials/${made.json.id}/reveal`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ approval_ticket: asked.json.approval_ticket }),
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { payload: { password: string } }).payload.password).toBe(password);
    expect(fake.total() - beforeReveal).toBe(1);
    expect(fake.calls.Decrypt).toBe(1);
  });
});
