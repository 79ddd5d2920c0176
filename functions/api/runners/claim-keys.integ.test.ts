/**
 * What sealing a claim costs in KMS calls (SPEC: at most one per distinct data key in a claim), on
 * the whole platform with KMS as its key provider. No KMS emulator runs here, so KMS is faked at
 * the SDK boundary (test/support/fake-kms.ts): the real client signs and sends
 * every call, and the fake counts what it receives.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClaimedJob } from '../../../shared/jobs/claim';
import { FakeKms } from '../../../test/support/fake-kms';
import { COMPOSE_FILE } from '../../../test/support/governance';
import { type Material, makeMaterial } from '../../../test/support/material';
import { createTestPlatform, type TestPlatform } from '../../../test/support/platform';
import {
  applyComposeRelease,
  createPool,
  registerRunner,
  type TestRunner,
} from '../../../test/support/runners';
import { createKmsKeyProvider } from '../../platform/keys/kms';

/** How a secret may appear in a JSON body: as written, or with its newlines escaped. */
const spellings = (s: string) => [s, JSON.stringify(s).slice(1, -1)];

describe('KMS calls of a claim', () => {
  const fake = new FakeKms();
  fake.createKey('alias/k8sm');
  let p: TestPlatform;
  let m: Material;
  let admin: string;
  let project: string;
  let env: string;
  let service: string;
  let runner: TestRunner;
  let shared: string;
  let password: string;
  let passwordCred: string;

  beforeAll(async () => {
    m = makeMaterial();
    const keys = createKmsKeyProvider({
      keyId: 'alias/k8sm',
      aws: { region: 'eu-west-1', endpoint: undefined },
      client: fake.client(),
    });
    p = await createTestPlatform('pglite', {}, { keys });
    admin = await p.adminToken();
    project = (await p.request('POST', '/projects', { token: admin, body: { name: 'kms-claims' } })).json.id;
    const pool = await createPool(p, admin, 'private-net', project);
    env = (
      await p.request('POST', '/environments', {
        token: admin,
        body: { project_id: project, name: 'dev', tier: 'development', runner_pool_id: pool },
      })
    ).json.id;
    shared = await credential('deploy', 'ssh_private_key', { private_key: m.plainKey.private_key });
    password = m.password();
    passwordCred = await credential('legacy', 'ssh_password', { password });
    service = (
      await p.request('POST', '/services', {
        token: admin,
        body: { project_id: project, name: 'web', compose_file: COMPOSE_FILE, secret_variables: ['API_KEY'] },
      })
    ).json.id;
    runner = await registerRunner(p, admin, pool, 'r1');
  });
  afterAll(async () => {
    await p?.close();
    m?.cleanup();
  });

  async function credential(name: string, kind: string, payload: Record<string, string>) {
    const res = await p.request('POST', '/credentials', {
      token: admin,
      body: { project_id: project, name, kind, payload },
    });
    expect(res.status, res.text).toBe(201);
    return res.json.id as string;
  }

  let port = 2200;
  async function hosts(credentialIds: string[]) {
    const ids: string[] = [];
    for (const credentialId of credentialIds) {
      port += 1;
      const res = await p.request('POST', '/hosts', {
        token: admin,
        body: {
          project_id: project,
          name: `h${port}`,
          address: '127.0.0.1',
          port,
          username: 'deploy',
          credential_id: credentialId,
        },
      });
      expect(res.status, res.text).toBe(201);
      ids.push(res.json.id);
    }
    return ids;
  }

  async function target(hostIds: string[]) {
    const res = await p.request('POST', '/deploy/targets', {
      token: admin,
      body: {
        project_id: project,
        environment_id: env,
        name: `t-${port}`,
        runtime_type: 'compose',
        host_ids: hostIds,
        compose_project: `web${port}`,
      },
    });
    expect(res.status, res.text).toBe(201);
    return res.json.id as string;
  }

  const apply = (targetId: string) => applyComposeRelease(p, admin, service, targetId);

  /** Claims the next job, counting the KMS calls the claim alone made; returns the body as sent. */
  async function countedClaim() {
    const before = { ...fake.calls };
    const total = fake.total();
    const res = await runner.call('POST', '/runner/jobs/claim', { wait_seconds: 0 });
    expect(res.status, res.text).toBe(200);
    return {
      claim: res.json as ClaimedJob,
      text: res.text,
      decrypts: (fake.calls.Decrypt ?? 0) - (before.Decrypt ?? 0),
      calls: fake.total() - total,
    };
  }

  async function succeed(c: ClaimedJob) {
    const res = await runner.call('POST', `/runner/jobs/${c.job.id}/complete`, {
      lease_token: c.job.lease_token,
      status: 'succeeded',
    });
    expect(res.status, res.text).toBe(200);
  }

  const releaseWork = (c: ClaimedJob) => {
    const order = runner.open(c);
    if (order.kind !== 'release_apply') throw new Error(`expected a release_apply, got ${order.kind}`);
    return order;
  };

  it('opens one credential shared by three hosts once: the revision and the credential, 2 calls', async () => {
    const t = await target(await hosts([shared, shared, shared]));
    const rel = await apply(t);
    const { claim, text, decrypts, calls } = await countedClaim();
    expect(claim.job.payload.release_id).toBe(rel.id);
    expect({ decrypts, calls }).toEqual({ decrypts: 2, calls: 2 });

    for (const s of [rel.secret, ...spellings(m.plainKey.private_key)]) expect(text).not.toContain(s);
    const order = releaseWork(claim);
    expect(order.hosts).toHaveLength(3);
    for (const h of order.hosts)
      expect(h.auth).toEqual({ kind: 'ssh_private_key', private_key: m.plainKey.private_key });
    expect(order.secret_values).toEqual([rel.secret]);
    expect(order.rendered).toContain(rel.secret);
    expect(order.previous_rendered).toBeNull();
    await succeed(claim);
  });

  it('opens the previous revision too on a second release to the same target: 3 calls', async () => {
    const t = await target(await hosts([shared, shared, shared]));
    const first = await apply(t);
    const c1 = await countedClaim();
    expect(c1.decrypts).toBe(2);
    const firstRendered = releaseWork(c1.claim).rendered;
    await succeed(c1.claim);

    const second = await apply(t);
    const { claim, text, decrypts, calls } = await countedClaim();
    expect(claim.job.payload.release_id).toBe(second.id);
    expect({ decrypts, calls }).toEqual({ decrypts: 3, calls: 3 });

    for (const s of [first.secret, second.secret, ...spellings(m.plainKey.private_key)])
      expect(text).not.toContain(s);
    const order = releaseWork(claim);
    expect(order.previous_rendered).toBe(firstRendered);
    expect(order.previous_rendered).toContain(first.secret);
    expect(order.rendered).toContain(second.secret);
    expect(order.secret_values).toEqual([second.secret]);
    await succeed(claim);
  });

  it('opens each distinct credential once: hosts on two credentials cost one call more', async () => {
    const t = await target(await hosts([shared, shared, passwordCred, passwordCred]));
    const rel = await apply(t);
    const { claim, text, decrypts, calls } = await countedClaim();
    expect(claim.job.payload.release_id).toBe(rel.id);
    expect({ decrypts, calls }).toEqual({ decrypts: 3, calls: 3 });

    for (const s of [rel.secret, password, ...spellings(m.plainKey.private_key)])
      expect(text).not.toContain(s);
    const order = releaseWork(claim);
    expect(order.hosts.map((h) => h.auth)).toEqual([
      { kind: 'ssh_private_key', private_key: m.plainKey.private_key },
      { kind: 'ssh_private_key', private_key: m.plainKey.private_key },
      { kind: 'ssh_password', password },
      { kind: 'ssh_password', password },
    ]);
    await succeed(claim);
  });
});
