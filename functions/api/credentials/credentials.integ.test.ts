import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../../../test/support/databases';
import { FakeKms } from '../../../test/support/fake-kms';
import { collect, type Material, makeMaterial } from '../../../test/support/material';
import { createTestPlatform, type TestPlatform } from '../../../test/support/platform';
import { credentials } from '../../platform/db/schema';
import { createKmsKeyProvider } from '../../platform/keys/kms';

type User = { id: string; token: string };

describe.each(await backends())('credentials on %s', (backend) => {
  let p: TestPlatform;
  let m: Material;
  let admin: string;
  let a: string;
  let b: string;
  let requester: User;
  let otherAdmin: User;
  let approver: User;
  let viewer: User;

  beforeAll(async () => {
    // Material first: the platform's clock must not start before the test certificates' notBefore.
    m = makeMaterial();
    p = await createTestPlatform(backend);
    admin = await p.adminToken();
    a = (await p.request('POST', '/projects', { token: admin, body: { name: 'alpha' } })).json.id;
    b = (await p.request('POST', '/projects', { token: admin, body: { name: 'beta' } })).json.id;
    requester = await p.userWithRole('admin', a);
    otherAdmin = await p.userWithRole('admin', a);
    approver = await p.userWithRole('approver', a);
    viewer = await p.userWithRole('viewer', a);
  });
  afterAll(async () => {
    await p.close();
    m.cleanup();
  });

  let n = 0;
  const create = (kind: string, payload: unknown, token = admin, project = a) =>
    p.request('POST', '/credentials', {
      token,
      body: { project_id: project, name: `cred-${++n}`, kind, payload },
    });
  const events = async (resourceId: string) =>
    (await p.request('GET', `/audit/events?resource_id=${resourceId}`, { token: admin })).json.items as {
      action: string;
      detail: Record<string, unknown>;
      actor_id: string;
    }[];
  const reveal = (id: string, user: User) =>
    p.request('POST', `/credentials/${id}/reveal`, { token: user.token, body: {} });
  const decide = (ticket: string, user: User, decision: 'approve' | 'reject' = 'approve') =>
    p.request('POST', `/approvals/inbox/${ticket}/decision`, {
      token: user.token,
      body: { decision, comment: 'checked' },
    });

  it('stores every kind and answers with masked metadata only', async () => {
    const payloads = m.payloads();
    const made: Record<string, any> = {};
    for (const [kind, payload] of Object.entries(payloads)) {
      const res = await create(kind, payload);
      expect(res.status, res.text).toBe(201);
      expect(Object.keys(res.json).sort()).toEqual(
        ['id', 'project_id', 'name', 'kind', 'fingerprint', 'metadata', 'created_at', 'updated_at'].sort(),
      );
      made[kind] = res.json;
    }
    expect(made.ssh_private_key).toMatchObject({
      kind: 'ssh_private_key',
      fingerprint: m.plainKey.fingerprint,
      metadata: { key_type: 'ssh-ed25519', encrypted: false, warnings: [] },
    });
    expect(made.ssh_password).toMatchObject({ fingerprint: null, metadata: { warnings: [] } });
    expect(made.kubeconfig.fingerprint).toMatch(/^SHA256:/);
    expect(made.kubeconfig.metadata).toMatchObject({
      server: 'https://10.0.0.10:6443',
      auth: 'client_certificate',
      kubeconfig: { context: 'prod-admin' },
    });
    expect(made.cert_set.metadata).toMatchObject({
      subject: 'O=system:masters, CN=admin',
      ca_subject: 'CN=test-ca',
    });
    expect(made.token).toMatchObject({ fingerprint: null, metadata: { token_last4: m.token.slice(-4) } });

    const get = await p.request('GET', `/credentials/${made.token.id}`, { token: viewer.token });
    expect(get.status).toBe(200);
    expect(get.json).toEqual(made.token);
    const [created] = await events(made.ssh_private_key.id);
    expect(created).toMatchObject({
      action: 'credential.created',
      detail: { kind: 'ssh_private_key', fingerprint: m.plainKey.fingerprint },
    });
    // What is stored is an envelope, bound to this row.
    const [row] = await p.deps.database.db
      .select()
      .from(credentials)
      .where(eq(credentials.id, made.token.id));
    expect(row!.envelope).toMatchObject({ v: 1, alg: 'A256GCM', key_id: expect.stringMatching(/^local-/) });
    expect(JSON.stringify(row)).not.toContain(m.token);
  });

  it('describes an encrypted key once its passphrase opens it', async () => {
    const res = await create('ssh_private_key', {
      private_key: m.encryptedKey.private_key,
      passphrase: m.passphrase,
    });
    expect(res.status, res.text).toBe(201);
    expect(res.json).toMatchObject({
      fingerprint: m.encryptedKey.fingerprint,
      metadata: { encrypted: true },
    });
  });

  it('refuses bad payloads with exact field paths, and oversized ones with 413', async () => {
    const bad = await create('ssh_private_key', { private_key: 'not a key at all' });
    expect(bad.status).toBe(422);
    expect(bad.json.error.fields).toEqual([{ path: 'payload.private_key', message: expect.any(String) }]);

    const locked = await create('ssh_private_key', { private_key: m.encryptedKey.private_key });
    expect(locked.json.error.fields.map((f: { path: string }) => f.path)).toEqual(['payload.passphrase']);

    const exec = await create('kubeconfig', {
      kubeconfig: m.kubeconfig({ exec: { command: 'aws', apiVersion: 'client.authentication.k8s.io/v1' } }),
    });
    expect(exec.status).toBe(422);
    expect(exec.json.error.fields.map((f: { path: string }) => f.path)).toContain(
      'payload.kubeconfig.users[0].user.exec',
    );

    const missing = await create('cert_set', { ca: m.pki.caPem });
    expect(missing.json.error.fields.map((f: { path: string }) => f.path).sort()).toEqual([
      'payload.cert',
      'payload.key',
    ]);
    const unknownKind = await create('gpg_key', { key: 'x' });
    expect(unknownKind.status).toBe(422);
    expect(unknownKind.json.error.fields[0].path).toBe('kind');

    const huge = await create('kubeconfig', { kubeconfig: `# ${'x'.repeat(300 * 1024)}` });
    expect(huge.status).toBe(413);
    expect(huge.json.error).toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      fields: [{ path: 'payload.kubeconfig' }],
    });

    const noProject = await create('token', { token: m.token }, admin, 'prj_nope');
    expect(noProject.status).toBe(422);
    expect(noProject.json.error.fields).toEqual([{ path: 'project_id', message: 'no such project' }]);
  });

  it('refuses a second live credential of the same name in a project', async () => {
    const body = { project_id: a, name: 'twice', kind: 'token', payload: { token: m.token } };
    expect((await p.request('POST', '/credentials', { token: admin, body })).status).toBe(201);
    const again = await p.request('POST', '/credentials', { token: admin, body });
    expect(again.status).toBe(409);
    expect(again.json.error.code).toBe('ALREADY_EXISTS');
    // Another project may use the name.
    expect(
      (await p.request('POST', '/credentials', { token: admin, body: { ...body, project_id: b } })).status,
    ).toBe(201);
  });

  it("keeps each project's credentials to those who hold permissions there", async () => {
    const theirs = (await create('token', { token: m.token }, admin, b)).json.id;
    const list = await p.request('GET', '/credentials', { token: viewer.token });
    expect(list.status).toBe(200);
    expect(list.json.items.length).toBeGreaterThan(0);
    expect(list.json.items.every((c: { project_id: string }) => c.project_id === a)).toBe(true);
    expect((await p.request('GET', `/credentials?project_id=${b}`, { token: viewer.token })).status).toBe(
      403,
    );
    expect((await p.request('GET', `/credentials/${theirs}`, { token: viewer.token })).status).toBe(403);
    const viewerCreate = await create('token', { token: m.token }, viewer.token);
    expect(viewerCreate.status).toBe(403);
    expect(viewerCreate.json.error.message).toContain('credential:import');
    const other = await create('token', { token: m.token }, requester.token, b);
    expect(other.status).toBe(403);
    expect((await p.request('GET', '/credentials/cred_nope', { token: admin })).status).toBe(404);
  });

  it('reveals only with a ticket a second person approved, to its requester, exactly once', async () => {
    const payload = { password: m.password() };
    const id = (await create('ssh_password', payload)).json.id;
    expect((await reveal(id, viewer)).status).toBe(403);

    const asked = await reveal(id, requester);
    expect(asked.status).toBe(202);
    expect(asked.json).toEqual({ approval_ticket: expect.stringMatching(/^tkt_/), status: 'pending' });
    const ticket = asked.json.approval_ticket as string;

    const early = await collect(p, requester.token, id, ticket);
    expect([early.status, early.json.error.code]).toEqual([409, 'TICKET_NOT_APPROVED']);

    // The one inbox shows it, with what the approver is asked to approve.
    const inbox = await p.request('GET', `/approvals/inbox?project_id=${a}&status=pending`, {
      token: approver.token,
    });
    expect(inbox.json.items).toContainEqual(
      expect.objectContaining({
        id: ticket,
        kind: 'credential_reveal',
        resource_type: 'credential',
        resource_id: id,
      }),
    );
    const detail = await p.request('GET', `/approvals/inbox/${ticket}`, { token: approver.token });
    expect(detail.json.subject).toEqual({
      credential: expect.objectContaining({ id, kind: 'ssh_password' }),
    });
    expect(detail.json).toMatchObject({
      environment_id: null,
      risk_level: 'high',
      requested_by: requester.id,
    });

    const self = await decide(ticket, requester);
    expect([self.status, self.json.error.code]).toEqual([403, 'SELF_APPROVAL']);
    expect((await decide(ticket, approver)).status).toBe(200);

    const stranger = await collect(p, otherAdmin.token, id, ticket);
    expect([stranger.status, stranger.json.error.code]).toEqual([403, 'FORBIDDEN']);

    const got = await collect(p, requester.token, id, ticket);
    expect(got.status).toBe(200);
    expect(got.json).toEqual({ credential_id: id, kind: 'ssh_password', payload });
    expect(got.headers.get('cache-control')).toBe('no-store');

    const again = await collect(p, requester.token, id, ticket);
    expect([again.status, again.json.error.code]).toEqual([409, 'TICKET_USED']);

    const actions = (await events(id)).map((e) => e.action);
    expect(actions).toEqual(['credential.created', 'credential.reveal_requested', 'credential.revealed']);
    const revealed = (await events(id)).at(-1)!;
    expect(revealed).toMatchObject({
      actor_id: requester.id,
      detail: { ticket_id: ticket, approved_by: approver.id },
    });
  });

  it('refuses a rejected ticket, a ticket of another credential, and one collected too late', async () => {
    const id = (await create('token', { token: m.token })).json.id;
    const other = (await create('token', { token: m.token })).json.id;

    const rejected = (await reveal(id, requester)).json.approval_ticket;
    await decide(rejected, approver, 'reject');
    const r1 = await collect(p, requester.token, id, rejected);
    expect([r1.status, r1.json.error.code]).toEqual([409, 'TICKET_DECIDED']);

    const foreign = (await reveal(other, requester)).json.approval_ticket;
    await decide(foreign, approver);
    const r2 = await collect(p, requester.token, id, foreign);
    expect(r2.status).toBe(422);
    expect(r2.json.error.fields[0].path).toBe('approval_ticket');
    expect((await collect(p, requester.token, id, 'tkt_unknown')).status).toBe(404);

    // Short tickets for this part (tokens outlive them), restored afterwards.
    const policy = (ttl: number) =>
      p.request('PUT', `/projects/${a}/policy`, { token: admin, body: { ticket_ttl_seconds: ttl } });
    expect((await policy(60)).status).toBe(200);
    try {
      const late = (await reveal(id, requester)).json.approval_ticket;
      await decide(late, approver);
      p.clock.advance(61_000);
      const r3 = await collect(p, requester.token, id, late);
      expect([r3.status, r3.json.error.code]).toEqual([409, 'TICKET_EXPIRED']);

      const unanswered = (await reveal(id, requester)).json.approval_ticket;
      p.clock.advance(61_000);
      const r4 = await collect(p, requester.token, id, unanswered);
      expect([r4.status, r4.json.error.code]).toEqual([409, 'TICKET_EXPIRED']);
    } finally {
      await policy(1800);
    }
  });

  it('rotates to new material of the same kind, on the record', async () => {
    const id = (await create('ssh_private_key', { private_key: m.plainKey.private_key })).json.id;
    const bad = await p.request('POST', `/credentials/${id}/rotate`, {
      token: admin,
      body: { payload: { password: m.password() } },
    });
    expect(bad.status).toBe(422);
    expect(bad.json.error.fields.map((f: { path: string }) => f.path)).toEqual([
      'payload.password',
      'payload.private_key',
    ]);

    const next = { private_key: m.encryptedKey.private_key, passphrase: m.passphrase };
    const res = await p.request('POST', `/credentials/${id}/rotate`, {
      token: requester.token,
      body: { payload: next },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({
      id,
      fingerprint: m.encryptedKey.fingerprint,
      metadata: { encrypted: true },
    });
    const rotated = (await events(id)).find((e) => e.action === 'credential.rotated');
    expect(rotated?.detail).toMatchObject({
      old_fingerprint: m.plainKey.fingerprint,
      fingerprint: m.encryptedKey.fingerprint,
    });

    const ticket = (await reveal(id, requester)).json.approval_ticket;
    await decide(ticket, approver);
    expect((await collect(p, requester.token, id, ticket)).json.payload).toEqual(next);
    expect(
      (await p.request('POST', `/credentials/${id}/rotate`, { token: viewer.token, body: { payload: next } }))
        .status,
    ).toBe(403);
  });

  it('refuses with 409 CREDENTIAL_ROTATED a reveal approved before a rotation, revealing nothing', async () => {
    const before = { password: m.password() };
    const after = { password: m.password() };
    const id = (await create('ssh_password', before)).json.id;
    const ticket = (await reveal(id, requester)).json.approval_ticket as string;
    expect((await decide(ticket, approver)).status).toBe(200);
    const rotated = await p.request('POST', `/credentials/${id}/rotate`, {
      token: admin,
      body: { payload: after },
    });
    expect(rotated.status, rotated.text).toBe(200);

    const stale = await collect(p, requester.token, id, ticket);
    expect([stale.status, stale.json.error.code]).toEqual([409, 'CREDENTIAL_ROTATED']);
    expect(JSON.stringify(stale.json)).not.toContain(after.password);
    expect(JSON.stringify(stale.json)).not.toContain(before.password);
    expect((await events(id)).map((e) => e.action)).not.toContain('credential.revealed');

    // A reveal asked for after the rotation hands out the new secret.
    const fresh = (await reveal(id, requester)).json.approval_ticket as string;
    await decide(fresh, approver);
    expect((await collect(p, requester.token, id, fresh)).json.payload).toEqual(after);
  });

  it('soft-deletes an unused credential, destroying its sealed material, and refuses one in use', async () => {
    const res = await create('ssh_password', { password: m.password() });
    const id = res.json.id;
    const used = (await create('ssh_password', { password: m.password() })).json.id;
    const host = await p.request('POST', '/hosts', {
      token: admin,
      body: { project_id: a, name: 'web-1', address: '10.0.0.7', username: 'deploy', credential_id: used },
    });
    expect(host.status, host.text).toBe(201);

    const inUse = await p.request('DELETE', `/credentials/${used}`, { token: admin });
    expect([inUse.status, inUse.json.error.code]).toEqual([409, 'IN_USE']);

    expect((await p.request('DELETE', `/credentials/${id}`, { token: viewer.token })).status).toBe(403);
    expect((await p.request('DELETE', `/credentials/${id}`, { token: admin })).status).toBe(204);
    expect((await p.request('GET', `/credentials/${id}`, { token: admin })).status).toBe(404);
    expect((await p.request('DELETE', `/credentials/${id}`, { token: admin })).status).toBe(404);
    expect((await reveal(id, requester)).status).toBe(404);
    const list = await p.request('GET', `/credentials?project_id=${a}&limit=200`, { token: admin });
    expect(list.json.items.map((c: { id: string }) => c.id)).not.toContain(id);
    const [row] = await p.deps.database.db.select().from(credentials).where(eq(credentials.id, id));
    expect(row!.deletedAt).not.toBeNull();
    expect(row!.envelope).toMatchObject({ ciphertext: '', wrapped_key: '', key_id: 'deleted' });
    expect((await events(id)).map((e) => e.action)).toContain('credential.deleted');
    // The name is free again.
    const reuse = await p.request('POST', '/credentials', {
      token: admin,
      body: { project_id: a, name: res.json.name, kind: 'token', payload: { token: m.token } },
    });
    expect(reuse.status).toBe(201);
  });

  it('costs exactly one KMS call per credential it stores, and none for a refused one', async () => {
    const fake = new FakeKms();
    fake.createKey('alias/k8sm');
    const local = p.deps.keys;
    p.deps.keys = createKmsKeyProvider({
      keyId: 'alias/k8sm',
      aws: { region: 'eu-west-1', endpoint: undefined },
      client: fake.client(),
    });
    try {
      // The process's audit MAC key for this provider is made once, on its first audited write.
      expect((await create('ssh_password', { password: m.password() })).status).toBe(201);
      expect(fake.calls).toEqual({ GenerateDataKey: 2 });
      expect((await create('ssh_password', { password: m.password() })).status).toBe(201);
      expect(fake.calls).toEqual({ GenerateDataKey: 3 });
      expect((await create('ssh_private_key', { private_key: 'nope' })).status).toBe(422);
      expect(fake.total()).toBe(3);
    } finally {
      p.deps.keys = local;
    }
  });
});
