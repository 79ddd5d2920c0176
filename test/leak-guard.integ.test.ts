/**
 * Secrets leave the platform in exactly one place: the response that collects an approved reveal.
 * Through HTTP on both backends this file stores credentials of every kind, imports clusters, reads
 * everything back, runs the reveal flow and a few refusals, and then checks
 *  (a) every recorded response and log line (the leak guard, test/setup.ts fails the file) — the
 *      reveal collections are made unrecorded and checked to hold the secrets, so the guard is
 *      known to watch values that really travel;
 *  (b) every row of every table, and, on PGlite, every byte of the data directory once the
 *      database is closed: no secret in plaintext at rest.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrap } from '../functions/api/users/bootstrap';
import { migrateUp } from '../functions/platform/db/migrate';
import { openPglite } from '../functions/platform/db/pglite';
import type { Database } from '../functions/platform/db/types';
import { backends } from './support/databases';
import { findLeaks } from './support/leak-guard';
import { collect, type Material, makeMaterial } from './support/material';
import { createTestPlatform, PASSWORD, type TestPlatform } from './support/platform';

/** Every file under a directory, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** Which of the needles occur in the haystack (bytes or text); the answer names a short prefix only. */
const found = (haystack: Buffer | string, needles: string[]) =>
  needles.filter((s) => haystack.includes(s)).map((s) => `${s.slice(0, 6)}…`);

describe.each(await backends())('no secret leaks on %s', (backend) => {
  let p: TestPlatform;
  let m: Material;
  let pgDir: string | undefined;
  let fileDb: Database | undefined;
  let admin: string;
  let project: string;
  const collected: string[] = [];

  /** Random secrets: their middle slices are searched too, so a partial copy would show. */
  const randomSecrets: string[] = [];
  const rnd = (prefix: string) => {
    const v = m.registerSecret(`${prefix}-${randomBytes(18).toString('base64url')}`);
    randomSecrets.push(v);
    return v;
  };
  const needles = () => [
    ...m.secrets,
    ...randomSecrets.map((s) => s.slice(Math.floor(s.length / 2) - 8, Math.floor(s.length / 2) + 8)),
  ];

  async function user(role: string) {
    const username = `${role}-${randomBytes(3).toString('hex')}`;
    const made = await p.request('POST', '/users', { token: admin, body: { username, password: PASSWORD } });
    await p.request('POST', '/role-bindings', {
      token: admin,
      body: { username, role, project_id: project },
    });
    return { id: made.json.id as string, token: await p.login(username, PASSWORD) };
  }

  beforeAll(async () => {
    m = makeMaterial();
    p = await createTestPlatform(backend);
    if (backend === 'pglite') {
      // A file-backed PGlite instead of the in-memory one, so its files can be searched afterwards.
      pgDir = mkdtempSync(join(tmpdir(), 'k8sm-leak-pg-'));
      fileDb = await openPglite(pgDir);
      p.deps.database = fileDb;
      await migrateUp(fileDb, p.deps.migrations);
      await bootstrap(p.deps);
    }
    admin = await p.adminToken();
    project = (await p.request('POST', '/projects', { token: admin, body: { name: 'leaky' } })).json.id;
  });
  afterAll(async () => {
    await fileDb?.close().catch(() => undefined);
    await p.close();
    if (pgDir) rmSync(pgDir, { recursive: true, force: true });
    m.cleanup();
  });

  it('stores, reads, reveals and refuses without a secret in any response or log line', async () => {
    const ok = <R extends { status: number; text: string }>(res: R, status: number): R => {
      expect(res.status, res.text).toBe(status);
      return res;
    };
    const payloads: [string, Record<string, unknown>][] = [
      ...Object.entries(m.payloads()),
      ['ssh_password', { password: rnd('pw') }],
      ['token', { token: rnd('tok') }],
      ['ssh_private_key', { private_key: m.encryptedKey.private_key, passphrase: m.passphrase }],
    ];
    const creds: { id: string; payload: Record<string, unknown> }[] = [];
    for (const [i, [kind, payload]] of payloads.entries()) {
      const res = ok(
        await p.request('POST', '/credentials', {
          token: admin,
          body: { project_id: project, name: `c-${i}`, kind, payload },
        }),
        201,
      );
      creds.push({ id: res.json.id, payload });
    }

    const tokenForCluster = rnd('cluster-token');
    const clusters = [
      { mode: 'kubeconfig', kubeconfig: m.kubeconfig(m.certUser) },
      { mode: 'kubeconfig', kubeconfig: m.kubeconfig({ token: tokenForCluster }) },
      {
        mode: 'cert_set',
        endpoint: 'https://10.0.0.2:6443',
        ca: m.pki.caPem,
        cert: m.pki.clientCertPem,
        key: m.pki.clientKeyPem,
      },
      { mode: 'token', endpoint: 'https://10.0.0.3:6443', ca: m.pki.caPem, token: rnd('sa') },
    ];
    for (const [i, body] of clusters.entries()) {
      const res = ok(
        await p.request('POST', '/clusters/import', {
          token: admin,
          body: { project_id: project, name: `k-${i}`, ...body },
        }),
        201,
      );
      ok(await p.request('GET', `/clusters/${res.json.id}`, { token: admin }), 200);
      ok(await p.request('GET', `/credentials/${res.json.credential_id}`, { token: admin }), 200);
    }
    const sshCred = creds.find((c) => 'private_key' in c.payload)!;
    const host = ok(
      await p.request('POST', '/hosts', {
        token: admin,
        body: {
          project_id: project,
          name: 'h-1',
          address: '10.0.0.9',
          username: 'deploy',
          credential_id: sshCred.id,
        },
      }),
      201,
    );
    ok(await p.request('GET', `/hosts/${host.json.id}`, { token: admin }), 200);
    for (const path of ['/credentials', '/clusters', '/hosts'])
      ok(await p.request('GET', `${path}?project_id=${project}&limit=200`, { token: admin }), 200);

    // Refusals that carry secrets in their requests must not echo them.
    const badKey = m.registerSecret(
      `-----BEGIN OPENSSH PRIVATE KEY-----\n${randomBytes(300).toString('base64')}\n-----END OPENSSH PRIVATE KEY-----\n`,
    );
    ok(
      await p.request('POST', '/credentials', {
        token: admin,
        body: {
          project_id: project,
          name: 'bad',
          kind: 'ssh_private_key',
          // A digit in the key: the guard names identifier-like unknown keys in its field paths
          // (`tokenFile`), so a random key that happened to be all letters would be echoed by design.
          payload: { private_key: badKey, [rnd('k9')]: 'x' },
        },
      }),
      422,
    );
    ok(
      await p.request('POST', '/clusters/import', {
        token: admin,
        body: {
          project_id: project,
          name: 'bad',
          mode: 'kubeconfig',
          kubeconfig: m.kubeconfig({ token: rnd('t'), exec: { command: 'sh' } }, 'https://169.254.169.254'),
        },
      }),
      422,
    );
    ok(
      await p.request('POST', '/credentials', {
        token: admin,
        body: { project_id: project, name: 'x', kind: 'token', payload: { token: `${rnd('sp')} x` } },
      }),
      422,
    );

    // Rotation, then the reveal flow for every credential; only the collections carry secrets.
    const rotated = { password: rnd('rotated') };
    const pw = creds.find((c) => 'password' in c.payload)!;
    ok(
      await p.request('POST', `/credentials/${pw.id}/rotate`, { token: admin, body: { payload: rotated } }),
      200,
    );
    pw.payload = rotated;
    const requester = await user('admin');
    const approver = await user('approver');
    for (const c of creds) {
      const ticket = ok(
        await p.request('POST', `/credentials/${c.id}/reveal`, { token: requester.token, body: {} }),
        202,
      ).json.approval_ticket;
      ok(await p.request('GET', `/approvals/inbox/${ticket}`, { token: approver.token }), 200);
      ok(
        await p.request('POST', `/approvals/inbox/${ticket}/decision`, {
          token: approver.token,
          body: { decision: 'approve', comment: 'ok' },
        }),
        200,
      );
      const got = await collect(p, requester.token, c.id, ticket);
      expect(got.status).toBe(200);
      expect(got.json.payload).toEqual(c.payload);
      collected.push(JSON.stringify(got.json));
      expect((await collect(p, requester.token, c.id, ticket)).status).toBe(409);
    }
    ok(await p.request('GET', `/approvals/inbox?project_id=${project}`, { token: approver.token }), 200);
    ok(await p.request('GET', `/audit/events?project_id=${project}&limit=500`, { token: admin }), 200);

    // (a) The secrets did travel, in the collections only; nothing recorded holds one.
    const travelled = m.secrets.filter((s) =>
      collected.some((t) => t.includes(JSON.stringify(s).slice(1, -1))),
    );
    expect(travelled.length).toBeGreaterThanOrEqual(creds.length);
    expect(findLeaks()).toEqual([]);
    expect(found(p.logs.join('\n'), needles())).toEqual([]);
  });

  it('keeps no secret in plaintext in any row of any table', async () => {
    const db = p.deps.database;
    const tables = await db.query<{ table_name: string }>(
      "select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'",
    );
    expect(tables.map((t) => t.table_name)).toEqual(
      expect.arrayContaining(['credentials', 'clusters', 'hosts', 'audit_events']),
    );
    for (const { table_name } of tables) {
      const rows = await db.query<{ row: string }>(`select t::text as row from "${table_name}" t`);
      expect([table_name, found(rows.map((r) => r.row).join('\n'), needles())]).toEqual([table_name, []]);
    }
    const credRows = await db.query<Record<string, unknown>>('select * from credentials');
    expect(found(JSON.stringify(credRows), needles())).toEqual([]);
    const envelopes = await db.query<{ envelope: string }>(
      'select envelope::text as envelope from credentials',
    );
    expect(envelopes.length).toBeGreaterThan(10);
    for (const { envelope } of envelopes) {
      expect(JSON.parse(envelope)).toMatchObject({ v: 1, alg: 'A256GCM' });
      expect(found(envelope, needles())).toEqual([]);
    }
  });

  // Registered for the PGlite run only (not skipped elsewhere): Postgres has no data directory here.
  if (backend === 'pglite')
    it('leaves no secret in any byte of the PGlite data directory', async () => {
      // A canary written in plaintext proves the search sees what rows put on disk.
      const canary = `canary-${randomBytes(12).toString('hex')}`;
      await fileDb!.query('create table leak_canary (v text)');
      await fileDb!.query('insert into leak_canary values ($1)', [canary]);
      await fileDb!.close();
      const files = filesUnder(pgDir!);
      expect(files.length).toBeGreaterThan(10);
      expect(files.some((f) => readFileSync(f).includes(canary))).toBe(true);
      const hits = files.flatMap((f) => found(readFileSync(f), needles()).map((s) => `${f}: ${s}`));
      expect(hits).toEqual([]);
    });
});
