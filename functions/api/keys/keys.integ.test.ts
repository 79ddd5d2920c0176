import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../../../test/support/databases';
import { FakeKms } from '../../../test/support/fake-kms';
import { composeVars, governanceFixture } from '../../../test/support/governance';
import { collect, type Material, makeMaterial } from '../../../test/support/material';
import { createTestPlatform, type TestPlatform } from '../../../test/support/platform';
import { releases } from '../../platform/db/schema';
import { createKmsKeyProvider } from '../../platform/keys/kms';
import type { LocalKeyProvider } from '../../platform/keys/local';
import { checkpointIfDue } from '../audit/checkpoint';
import { findCredential } from '../credentials/repo';
import { openPayload } from '../credentials/service';
import { openSigningSecret } from '../notifications/endpoints';
import { findEndpoint } from '../notifications/repo';
import { openRevision } from '../releases/revision';
import { keyIdsInUse } from './repo';

describe.each(await backends())('key rotation on %s', (backend) => {
  let m: Material;
  beforeAll(() => {
    m = makeMaterial();
  });
  afterAll(() => m.cleanup());

  let n = 0;
  /** Stores one credential of every kind; returns their ids with the payloads they hold. */
  async function credentialsOfEveryKind(p: TestPlatform, admin: string, project: string) {
    const out: { id: string; payload: unknown }[] = [];
    for (const [kind, payload] of Object.entries(m.payloads())) {
      const res = await p.request('POST', '/credentials', {
        token: admin,
        body: { project_id: project, name: `${kind.replaceAll('_', '-')}-${++n}`, kind, payload },
      });
      expect(res.status, res.text).toBe(201);
      out.push({ id: res.json.id, payload });
    }
    return out;
  }
  async function expectAllOpen(p: TestPlatform, creds: { id: string; payload: unknown }[]) {
    for (const c of creds) {
      const row = await findCredential(p.deps.database.db, c.id);
      expect(await openPayload(p.deps.keys, row!)).toEqual(c.payload);
    }
  }

  describe('with the local master key', () => {
    let p: TestPlatform;
    let admin: string;
    let fixture: Awaited<ReturnType<typeof governanceFixture>>;
    beforeAll(async () => {
      p = await createTestPlatform(backend);
      admin = await p.adminToken();
      fixture = await governanceFixture(p, 'keys');
    });
    afterAll(() => p.close());

    it('re-wraps every data key of every purpose under a new master key; everything still opens', async () => {
      const creds = await credentialsOfEveryKind(p, admin, fixture.project);
      const variables = composeVars('1.0');
      const previewOf = () =>
        p.request('POST', '/deploy/releases/preview', {
          token: admin,
          body: { service_id: fixture.serviceId, target_id: fixture.targets.devCompose, variables },
        });
      const preview = await previewOf();
      expect(preview.status, preview.text).toBe(201);
      const pipeline = await p.request('POST', '/ci/pipelines', {
        token: admin,
        body: {
          project_id: fixture.project,
          service_id: fixture.serviceId,
          provider: 'gitlab_ci',
          repository: 'platform/web',
          trigger: 'push',
          image: 'registry.internal/web:latest',
        },
      });
      expect(pipeline.status, pipeline.text).toBe(201);
      const endpoint = await p.request('POST', '/notifications/endpoints', {
        token: admin,
        body: { project_id: fixture.project, url: 'http://127.0.0.1:9/hooks', events: ['release.*'] },
      });
      expect(endpoint.status, endpoint.text).toBe(201);
      const db = p.deps.database.db;
      expect(await checkpointIfDue(p.deps)).not.toHaveLength(0);
      const keys = p.deps.keys as LocalKeyProvider;
      const old = await keys.currentKeyId();
      expect(Object.keys(await keyIdsInUse(db))).toContain(old);

      const forbidden = await p.request('POST', '/keys/rotate', {
        token: (await p.userWithRole('approver')).token,
      });
      expect(forbidden.status).toBe(403);
      expect(forbidden.json.error.message).toContain('rbac:admin');

      const res = await p.request('POST', '/keys/rotate', { token: admin });
      expect(res.status, res.text).toBe(200);
      expect(res.json.key_id).not.toBe(old);
      expect(res.json.key_id).toBe(await keys.currentKeyId());
      // audit_keys: this process's one event MAC key.
      expect(res.json.rewrapped).toEqual({
        credentials: creds.length,
        releases: 1,
        checkpoints: 1,
        audit_keys: 1,
        // The compose target's tag key, made by its first preview.
        target_keys: 1,
        pipeline_secrets: 1,
        notification_secrets: 1,
      });
      // The fixture's placeholder credential has no real envelope: it is reported, not fatal.
      expect(res.json.failed).toEqual({
        credentials: 1,
        releases: 0,
        checkpoints: 0,
        audit_keys: 0,
        target_keys: 0,
        pipeline_secrets: 0,
        notification_secrets: 0,
      });
      expect(res.json.key_ids_in_use).toEqual({ [res.json.key_id]: creds.length + 6, none: 1 });
      expect(Object.keys(await keyIdsInUse(db))).not.toContain(old);

      await expectAllOpen(p, creds);
      // The pipeline's webhook secret still verifies its provider's deliveries.
      const hook = await p.request('POST', `/ci/webhooks/${pipeline.json.id}`, {
        rawBody: '{"object_kind":"note"}',
        headers: { 'x-gitlab-token': pipeline.json.webhook_secret, 'x-gitlab-event-uuid': 'after-rotation' },
      });
      expect(hook.status, hook.text).toBe(200);
      // The endpoint's signing secret still opens, unchanged.
      const endpointRow = await findEndpoint(db, endpoint.json.id);
      expect(await openSigningSecret(p.deps.keys, endpointRow!)).toBe(endpoint.json.secret);
      const [release] = await db.select().from(releases);
      expect((await openRevision(p.deps.keys, release!)).secret_values.API_KEY).toMatch(/^sk-live-/);
      const verify = await p.request('GET', '/audit/verify', { token: admin });
      expect(verify.json).toMatchObject({ ok: true, first_bad_event_id: null, truncated_after: null });

      const event = (await p.request('GET', '/audit/events?action=keys.rotated', { token: admin })).json
        .items;
      expect(event).toHaveLength(1);
      expect(event[0]).toMatchObject({
        resource_type: 'key',
        resource_id: res.json.key_id,
        status: 'partial',
        detail: { provider: 'local', previous_key_id: old, rewrapped: res.json.rewrapped },
      });

      // A reveal through HTTP after the rotation, end to end.
      const requester = await p.userWithRole('admin', fixture.project);
      const approver = await p.userWithRole('approver', fixture.project);
      const ticket = (
        await p.request('POST', `/credentials/${creds[0]!.id}/reveal`, { token: requester.token, body: {} })
      ).json.approval_ticket;
      await p.request('POST', `/approvals/inbox/${ticket}/decision`, {
        token: approver.token,
        body: { decision: 'approve', comment: 'rotation check' },
      });
      expect((await collect(p, requester.token, creds[0]!.id, ticket)).json.payload).toEqual(
        creds[0]!.payload,
      );

      // The target's tag key opens under the new master key and tags its secrets as before.
      const again = await previewOf();
      expect(again.status, again.text).toBe(201);
      const masked = async (id: string) =>
        (await p.request('GET', `/deploy/releases/${id}/revision`, { token: admin })).json.masked_revision;
      expect(await masked(again.json.id)).toBe(await masked(preview.json.id));
      expect(await masked(again.json.id)).toMatch(/API_KEY: \*\*\*[0-9a-f]{8}\n/);
    });

    it('rotates again, and new seals use the newest key', async () => {
      const first = (await p.request('POST', '/keys/rotate', { token: admin })).json;
      const second = (await p.request('POST', '/keys/rotate', { token: admin })).json;
      expect(second.key_id).not.toBe(first.key_id);
      expect(Object.keys(second.key_ids_in_use).sort()).toEqual([second.key_id, 'none'].sort());
      const [c] = await credentialsOfEveryKind(p, admin, fixture.project);
      const row = await findCredential(p.deps.database.db, c!.id);
      expect(row!.envelope.key_id).toBe(second.key_id);
      expect((await p.request('GET', '/audit/verify', { token: admin })).json.ok).toBe(true);
    });
  });

  describe('with KMS', () => {
    let p: TestPlatform;
    let admin: string;
    // KMS from the start: the events of the bootstrap carry MACs under a data key of this KMS.
    const fake = new FakeKms();
    const arnA = fake.createKey('alias/k8sm-a');
    const arnB = fake.createKey('alias/k8sm-b');
    const client = fake.client();
    const aws = { region: 'eu-west-1', endpoint: undefined };
    beforeAll(async () => {
      p = await createTestPlatform(
        backend,
        { K8SM_KMS_KEY_ID: 'alias/k8sm-a' },
        { keys: createKmsKeyProvider({ keyId: 'alias/k8sm-a', aws, client }) },
      );
      admin = await p.adminToken();
    });
    afterAll(() => p.close());

    it('re-encrypts every data key to the newly configured key, without exposing data keys', async () => {
      const project = (await p.request('POST', '/projects', { token: admin, body: { name: 'kms' } })).json.id;
      const creds = await credentialsOfEveryKind(p, admin, project);
      const db = p.deps.database.db;
      expect(await checkpointIfDue(p.deps)).not.toHaveLength(0);
      expect(await keyIdsInUse(db)).toEqual({ [arnA]: creds.length + 2 });

      // The operator configures another key: the platform now generates under it and moves old rows.
      p.deps.keys = createKmsKeyProvider({ keyId: 'alias/k8sm-b', aws, client });
      p.deps.config = { ...p.deps.config, kmsKeyId: 'alias/k8sm-b' };
      const before = { ...fake.calls };
      const res = await p.request('POST', '/keys/rotate', { token: admin });
      expect(res.status, res.text).toBe(200);
      expect(res.json).toEqual({
        key_id: 'alias/k8sm-b',
        rewrapped: {
          credentials: creds.length,
          releases: 0,
          checkpoints: 1,
          audit_keys: 1,
          target_keys: 0,
          pipeline_secrets: 0,
          notification_secrets: 0,
        },
        failed: {
          credentials: 0,
          releases: 0,
          checkpoints: 0,
          audit_keys: 0,
          target_keys: 0,
          pipeline_secrets: 0,
          notification_secrets: 0,
        },
        key_ids_in_use: { [arnB]: creds.length + 2 },
      });
      expect(fake.calls.ReEncrypt ?? 0).toBe(creds.length + 2);
      expect((fake.calls.Decrypt ?? 0) - (before.Decrypt ?? 0)).toBe(0);
      await expectAllOpen(p, creds);
      expect((await p.request('GET', '/audit/verify', { token: admin })).json.ok).toBe(true);
    });
  });
});
