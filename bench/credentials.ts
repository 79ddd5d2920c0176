import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../functions/api/app';
import { issueAccessToken } from '../functions/api/auth/tokens';
import { buildDeps, type Deps } from '../functions/api/deps';
import { bootstrap } from '../functions/api/users/bootstrap';
import { loadConfig } from '../functions/platform/config';
import { migrateUp } from '../functions/platform/db/migrate';
import { open, seal } from '../functions/platform/keys/envelope';
import type { DataKey, KeyProvider } from '../functions/platform/keys/types';
import { createLogger } from '../functions/platform/logger';
import { type Backend, freshDatabase, postgresReachable, TEST_PG_URL } from '../test/support/databases';
import { interleave } from './interleave';
import { machine } from './machine';
import { fmt, median, percentile, ratio, table } from './stats';

export type CredentialsOptions = { batches: number; batchSize: number; warmup: number };

const ADMIN = { username: 'bench-admin', password: 'bench password, not a secret' };
/** A token-kind payload: the cheapest kind to inspect, so the envelope's share is as large as it gets. */
const PAYLOAD = { token: 'bench-token-not-a-secret-0123456789abcdefghij' };

/**
 * BASELINE ONLY — never use outside this bench. A key provider that does not wrap: the "wrapped"
 * data key is the data key itself. With it, the route still seals the payload (AES-256-GCM under
 * the data key, in functions/platform/keys/envelope.ts) but does no key generation or wrapping, so
 * the ratio against the local provider is the provider's share of the envelope.
 */
function plaintextKeyProviderForBenchOnly(): KeyProvider {
  const key = Buffer.alloc(32, 7);
  return {
    kind: 'local',
    async generateDataKey(): Promise<DataKey> {
      // Two copies: seal() zeroes the plaintext after use.
      return { plaintext: Buffer.from(key), wrapped: Buffer.from(key), keyId: 'bench-plaintext' };
    },
    async unwrap(wrapped) {
      return Buffer.from(wrapped);
    },
    async rewrap(wrapped, keyId) {
      return { wrapped: Buffer.from(wrapped), keyId };
    },
  };
}

type Variant = { name: string; deps: Deps; token: string };

async function measureBackend(backend: Backend, opts: CredentialsOptions) {
  const dataDir = mkdtempSync(join(tmpdir(), 'k8sm-bench-cred-'));
  const testDb = await freshDatabase(backend);
  const database = testDb.database;
  try {
    const config = loadConfig({
      K8SM_DATA_DIR: dataDir,
      K8SM_BOOTSTRAP_ADMIN: `${ADMIN.username}:${ADMIN.password}`,
      K8SM_LOG_LEVEL: 'info',
    });
    const logger = createLogger('info', () => {});
    const local = await buildDeps(config, { database, logger });
    if (local.keys.kind !== 'local') throw new Error('expected the local key provider');
    await migrateUp(database, local.migrations);
    await bootstrap(local);
    // The same process state but the key provider: one database, one JWT key, one clock.
    const plain: Deps = { ...local, keys: plaintextKeyProviderForBenchOnly() };
    const [admin] = await database.query<{ id: string }>('select id from users where username = $1', [
      ADMIN.username,
    ]);
    const projectId = 'prj_benchcred';
    await database.query('insert into projects (id, name, created_at) values ($1, $2, now())', [
      projectId,
      'bench-credentials',
    ]);
    const token = await issueAccessToken(admin!.id, local.jwtKey, local.clock, 24 * 3600);
    const variants: Variant[] = [
      { name: 'no-op key provider (baseline)', deps: plain, token },
      { name: 'local key provider', deps: local, token },
    ];
    const apps = new Map(variants.map((v) => [v.name, createApp({ deps: async () => v.deps })]));
    let n = 0;
    /** One operation: create a credential, then read its metadata back. */
    const op = async (v: Variant) => {
      const app = apps.get(v.name)!;
      const headers = { authorization: `Bearer ${v.token}` };
      n += 1;
      const created = await app.request('/api/v1/credentials', {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({ project_id: projectId, name: `c-${n}`, kind: 'token', payload: PAYLOAD }),
      });
      const body = (await created.json()) as { id: string };
      if (created.status !== 201) throw new Error(`POST /credentials answered ${created.status}`);
      const read = await app.request(`/api/v1/credentials/${body.id}`, { headers });
      const text = await read.text();
      if (read.status !== 200 || text.includes(PAYLOAD.token)) throw new Error(`GET answered ${read.status}`);
    };
    // Each variant's rows must really be what it claims: sealed by the local keyring, or not wrapped.
    await op(variants[1]!);
    const [row] = await database.query<{ envelope: { key_id: string } }>(
      'select envelope from credentials order by id desc limit 1',
    );
    if (!row?.envelope.key_id.startsWith('local-')) throw new Error('the local variant did not seal locally');

    const timings = await interleave(
      variants.map((v) => ({
        name: v.name,
        run: async (count: number) => {
          for (let i = 0; i < count; i++) await op(v);
        },
      })),
      opts,
    );

    // The envelope alone, without the route: what one seal and one open cost with each provider.
    const ctx = {
      purpose: 'credential' as const,
      project_id: projectId,
      credential_id: 'cred_x',
      kind: 'token',
    };
    const plaintext = Buffer.from(JSON.stringify(PAYLOAD), 'utf8');
    const keyring = local.keys;
    const sealed = {
      local: await seal(keyring, plaintext, ctx),
      plain: await seal(plain.keys, plaintext, ctx),
    };
    const micro = await interleave(
      [
        { name: 'seal, local', fn: () => seal(keyring, plaintext, ctx) },
        { name: 'seal, no-op', fn: () => seal(plain.keys, plaintext, ctx) },
        { name: 'open, local', fn: () => open(keyring, sealed.local, ctx) },
        { name: 'open, no-op', fn: () => open(plain.keys, sealed.plain, ctx) },
      ].map((t) => ({
        name: t.name,
        run: async (count: number) => {
          for (let i = 0; i < count; i++) await t.fn();
        },
      })),
      { batches: opts.batches, batchSize: opts.batchSize * 10, warmup: opts.warmup * 10 },
    );
    const count = Number(
      (await database.query<{ n: string }>('select count(*)::text as n from credentials'))[0]!.n,
    );
    return { backend, variants: variants.map((v) => v.name), timings, micro, count };
  } finally {
    await testDb.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function credentialsThroughput(opts: CredentialsOptions): Promise<string> {
  const where = machine();
  const started = new Date().toISOString();
  const sections: string[] = [];
  const skipped: string[] = [];
  for (const backend of ['pglite', 'postgres'] as const) {
    if (backend === 'postgres' && !(await postgresReachable())) {
      skipped.push(`Postgres was not reachable at ${TEST_PG_URL}: no Postgres numbers in this run.`);
      continue;
    }
    console.error(`  ${backend}…`);
    const r = await measureBackend(backend, opts);
    const base = median(r.timings.get(r.variants[0]!)!);
    const rows = r.variants.map((name) => {
      const s = r.timings.get(name)!;
      const us = median(s);
      // Two requests per operation.
      const spread = `${fmt(2e6 / percentile(s, 90), 0)}–${fmt(2e6 / percentile(s, 10), 0)}`;
      return [name, fmt(2e6 / us, 0), spread, fmt(1e6 / us, 0), fmt(us, 0), ratio(base, us)];
    });
    const micro = [...r.micro].map(([name, s]) => [name, fmt(median(s), 1)]);
    const envelopeUs = median(r.micro.get('seal, local')!) - median(r.micro.get('seal, no-op')!);
    sections.push(`### ${backend === 'postgres' ? 'Postgres' : 'PGlite (in memory)'}

${table(['variant', 'req/s (median batch)', 'req/s p10–p90', 'create+read pairs/s', 'µs per pair', 'vs baseline'], rows)}

The envelope alone (median µs per call, ${opts.batches} alternating batches of ${opts.batchSize * 10}):

${table(['operation', 'µs/call'], micro)}

Key generation and wrapping by the local provider add ≈ ${fmt(envelopeUs, 1)} µs to a seal, against
≈ ${fmt(median(r.timings.get(r.variants[1]!)!), 0)} µs for a create + read pair through the app. ${r.count} credentials were stored by the end.`);
  }
  return `## Credential create + read-metadata throughput, local key provider vs no wrapping (\`credentials\`)

Measured ${started} on ${where}.
Reproduce: \`npm run bench -- credentials\`.

One operation is \`POST /api/v1/credentials\` (a \`token\` credential: inspected, sealed, stored with its
audit event in one transaction) followed by \`GET /api/v1/credentials/:id\` (metadata only: the read
opens no envelope), in-process through \`app.request\` with an admin token, one at a time. Both
variants run the same app on the same fresh database (migrations applied); they differ only in the
key provider. The baseline's provider is a **bench-only no-op** (bench/credentials.ts) that hands back
the data key as its own "wrapped" form: the route still encrypts the payload with AES-256-GCM, but
generates and wraps no key, so the ratio is what the local provider's envelope work costs the route.
${opts.warmup} warm-up operations per variant, then ${opts.batches} alternating batches of ${opts.batchSize}
operations each; req/s (two requests per operation) is taken from the median batch, the spread is the
p10–p90 of the batches. Target: none set by the issue; a ratio near 1.00× means the envelope is
not what limits credential throughput.
${skipped.length ? `\n${skipped.join('\n')}\n` : ''}
${sections.join('\n\n')}
`;
}
