import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { killAll, type Proc, runCommand, runTsx, waitExit } from '../../../test/e2e/server-process';
import { type Backend, backends, freshDatabase, type TestDatabase } from '../../../test/support/databases';
import { appliedVersions, loadMigrations, type Migration, migrateDown, migrateUp } from './migrate';
import { openPglite } from './pglite';
import { openPostgres } from './postgres';
import type { Database } from './types';

/** Under CI=true this throws when Postgres is missing, so the Postgres cases never skip there. */
const available = await backends();
const migrations = await loadMigrations();

/**
 * Everything the migrations can create in schema public, as sorted `kind name: definition` lines.
 * Catalog only, so the ledger's table is in and its rows are not.
 */
const SCHEMA_QUERY = `
  select 'table' as kind, table_name::text as name, table_type::text as def
    from information_schema.tables where table_schema = 'public'
  union all
  select 'column', table_name || '.' || column_name,
         concat_ws(' ', ordinal_position, data_type, udt_name, is_nullable, is_identity,
                   column_default, character_maximum_length, numeric_precision)
    from information_schema.columns where table_schema = 'public'
  union all
  select 'constraint', conrelid::regclass::text || '.' || conname, pg_get_constraintdef(oid)
    from pg_constraint where connamespace = 'public'::regnamespace
  union all
  select 'index', tablename || '.' || indexname, indexdef from pg_indexes where schemaname = 'public'
  union all
  select 'trigger', tgrelid::regclass::text || '.' || tgname, pg_get_triggerdef(oid)
    from pg_trigger
   where not tgisinternal
     and tgrelid in (select oid from pg_class where relnamespace = 'public'::regnamespace)
  union all
  select 'function', proname || '(' || pg_get_function_identity_arguments(oid) || ')', pg_get_functiondef(oid)
    from pg_proc where pronamespace = 'public'::regnamespace
  union all
  select 'sequence', sequence_name, data_type from information_schema.sequences where sequence_schema = 'public'
  union all
  select 'type', typname, typtype::text || coalesce(
           ':' || (select string_agg(enumlabel, ',' order by enumsortorder) from pg_enum where enumtypid = t.oid), '')
    from pg_type t where typnamespace = 'public'::regnamespace and typtype in ('e', 'd')
  order by 1, 2`;

async function schemaOf(db: Database): Promise<string[]> {
  const rows = await db.query<{ kind: string; name: string; def: string | null }>(SCHEMA_QUERY);
  return rows.map((r) => `${r.kind} ${r.name}: ${r.def ?? ''}`);
}

const ledgerRows = (db: Database) =>
  db.query<{ version: number; name: string }>('select version, name from schema_migrations order by version');

const exists = async (db: Database, relation: string) =>
  (await db.query<{ t: string | null }>('select to_regclass($1)::text as t', [relation]))[0]?.t !== null;

/** Small migrations after the shipped ones, so "the newest" and "all" are not the same thing. */
const probes: Migration[] = [
  {
    version: 9001,
    name: 'probe_one',
    up: 'create table probe_one (id text primary key);',
    down: 'drop table probe_one;',
  },
  {
    version: 9002,
    name: 'probe_two',
    up: `create table probe_two (id text primary key, one text references probe_one (id));
         create index probe_two_one on probe_two (one);`,
    down: 'drop table probe_two;',
  },
];
const withProbes = [...migrations, ...probes];
const label = (m: Migration) => `${m.version}_${m.name}`;

const opened: TestDatabase[] = [];
async function fresh(backend: Backend): Promise<TestDatabase> {
  const t = await freshDatabase(backend);
  opened.push(t);
  return t;
}
afterEach(async () => {
  for (const t of opened.splice(0)) await t.drop();
});

describe.each(available)('migrations on %s', (backend) => {
  it('ships at least one migration, each with an up and a down', () => {
    expect(migrations.length).toBeGreaterThan(0);
    for (const m of migrations) expect(m.down.trim()).not.toBe('');
  });

  it('rolls everything back to an empty ledger and re-applies to the identical schema', async () => {
    const { database: db } = await fresh(backend);

    expect(await migrateUp(db, migrations)).toEqual(migrations.map(label));
    const first = await schemaOf(db);
    // A capture that saw nothing would compare equal to anything: make sure it sees the schema.
    expect(first).toContain('table users: BASE TABLE');
    expect(first.some((l) => l.startsWith('trigger audit_events.audit_events_no_update:'))).toBe(true);
    expect(first.some((l) => l.startsWith('function audit_events_append_only():'))).toBe(true);
    expect(first.some((l) => l.startsWith('index role_bindings.role_bindings_unique:'))).toBe(true);
    expect((await ledgerRows(db)).map((r) => Number(r.version))).toEqual(migrations.map((m) => m.version));

    expect(await migrateDown(db, migrations, Number.POSITIVE_INFINITY)).toEqual(
      migrations.map(label).reverse(),
    );
    const empty = await schemaOf(db);
    expect(empty).toContain('table schema_migrations: BASE TABLE');
    expect(empty.filter((l) => !/^\w+ schema_migrations[.:]/.test(l))).toEqual([]);
    expect(await ledgerRows(db)).toEqual([]);

    expect(await migrateUp(db, migrations)).toEqual(migrations.map(label));
    expect(await schemaOf(db)).toEqual(first);
  });

  it('is idempotent: a second migrateUp applies nothing and changes nothing', async () => {
    const { database: db } = await fresh(backend);
    await migrateUp(db, migrations);
    const before = await schemaOf(db);
    expect(await migrateUp(db, migrations)).toEqual([]);
    expect(await schemaOf(db)).toEqual(before);
  });

  it('reverts only the newest migration with steps = 1, then the next ones in order', async () => {
    const { database: db } = await fresh(backend);
    expect(await migrateUp(db, withProbes)).toEqual(withProbes.map(label));

    expect(await migrateDown(db, withProbes, 1)).toEqual(['9002_probe_two']);
    expect(await exists(db, 'probe_two')).toBe(false);
    expect(await exists(db, 'probe_one')).toBe(true);
    expect(await appliedVersions(db)).toEqual([...migrations.map((m) => m.version), 9001]);

    // Pending ones are re-applied and nothing else.
    expect(await migrateUp(db, withProbes)).toEqual(['9002_probe_two']);

    const newestShipped = migrations.at(-1)!;
    expect(await migrateDown(db, withProbes, 3)).toEqual([
      '9002_probe_two',
      '9001_probe_one',
      label(newestShipped),
    ]);
    expect(await appliedVersions(db)).toEqual(migrations.slice(0, -1).map((m) => m.version));
    expect(await exists(db, 'probe_one')).toBe(false);
  });

  it('rolls 0008 back by turning cancelled releases and install tasks into expired ones', async () => {
    const { database: db } = await fresh(backend);
    const upTo8 = migrations.filter((m) => m.version <= 8);
    await migrateUp(db, upTo8);
    const now = new Date().toISOString();
    await db.transaction(async (tx) => {
      // Rows only: the CHECK constraints are what is under test, so the parents they name are left out.
      await tx.exec('set local session_replication_role = replica');
      await tx.query(
        `insert into releases (id, project_id, environment_id, service_id, target_id, runtime_type, strategy,
           lifecycle_state, approval_required, preview_ref, preview_hash, expires_at, risk_level, checks, diff,
           variables_masked, rendered_masked, revision_digest, created_by, created_at, updated_at)
         values ('rel_c', 'p', 'e', 's', 't', 'compose', 'rolling', 'cancelled', false, 'ref', 'h', $1, 'low',
           '[]', '{}', '{}', '', 'd', 'u', $1, $1)`,
        [now],
      );
      await tx.query(
        `insert into install_tasks (id, project_id, environment_id, action, runtime, version, host_ids, options,
           bundle, status, created_at, updated_at)
         values ('itk_c', 'p', 'e', 'install', 'compose', '1', '{}', '{}', '{}', 'cancelled', $1, $1)`,
        [now],
      );
    });
    expect(await migrateDown(db, upTo8, 1)).toEqual([label(upTo8.at(-1)!)]);
    expect(await db.query('select lifecycle_state from releases')).toEqual([{ lifecycle_state: 'expired' }]);
    expect(await db.query('select status from install_tasks')).toEqual([{ status: 'expired' }]);
    // The old constraint is back: a cancelled row is refused again.
    await expect(db.query(`update releases set lifecycle_state = 'cancelled'`)).rejects.toThrow();
  });

  it('applies a failing migration not at all: neither its changes nor its ledger row', async () => {
    const { database: db } = await fresh(backend);
    const broken: Migration = {
      version: 9100,
      name: 'broken',
      up: 'create table probe_broken (id text); select 1 / 0;',
      down: 'drop table probe_broken;',
    };
    await expect(migrateUp(db, [...migrations, broken])).rejects.toThrow(/division by zero/);
    expect(await exists(db, 'probe_broken')).toBe(false);
    // The migrations before it stay applied: each has its own transaction.
    expect(await appliedVersions(db)).toEqual(migrations.map((m) => m.version));
  });

  it('refuses to roll back a migration whose files are gone', async () => {
    const { database: db } = await fresh(backend);
    await migrateUp(db, withProbes);
    await expect(migrateDown(db, migrations, 1)).rejects.toThrow(/9002 is applied but its files are missing/);
    expect(await exists(db, 'probe_two')).toBe(true);
  });
});

describe.skipIf(!available.includes('postgres'))('migrations on Postgres with several migrators', () => {
  it('applies each migration exactly once when two migrateUp calls race', async () => {
    const t = await fresh('postgres');
    // Two pools: two processes starting at once, not two calls queued on one connection.
    const a = openPostgres({ url: t.url!, max: 2 });
    const b = openPostgres({ url: t.url!, max: 2 });
    try {
      const [ranA, ranB] = await Promise.all([migrateUp(a, withProbes), migrateUp(b, withProbes)]);
      // Every migration creates tables, so a second application would have thrown above.
      expect([...ranA, ...ranB].sort()).toEqual(withProbes.map(label).sort());
      const rows = await ledgerRows(t.database);
      expect(rows.map((r) => Number(r.version))).toEqual(withProbes.map((m) => m.version));
    } finally {
      await a.close();
      await b.close();
    }
  });
});

describe.skipIf(!available.includes('postgres'))('the migration CLI on Postgres', () => {
  afterAll(killAll);

  /** Runs to completion within a bound; the output is returned for the assertions. */
  async function finish(proc: Proc) {
    const exit = await waitExit(proc, 60_000);
    return { code: exit.code, stdout: proc.stdout(), stderr: proc.stderr() };
  }

  it('migrates up, steps back one, and rolls back all through cli.ts and the npm scripts', async () => {
    const t = await fresh('postgres');
    const env = { DATABASE_URL: t.url!, K8SM_DATA_DIR: mkdtempSync(join(tmpdir(), 'k8sm-cli-')) };
    const versions = async () => (await ledgerRows(t.database)).map((r) => Number(r.version));
    const all = migrations.map((m) => m.version);
    try {
      const up = await finish(runTsx('functions/platform/db/cli.ts', ['up'], env));
      expect(up).toMatchObject({ code: 0, stdout: `applied: ${migrations.map(label).join(', ')}\n` });
      expect(await versions()).toEqual(all);

      const again = await finish(runTsx('functions/platform/db/cli.ts', ['up'], env));
      expect(again).toMatchObject({ code: 0, stdout: 'nothing to apply\n' });

      const back = await finish(runTsx('functions/platform/db/cli.ts', ['down', '--steps', '1'], env));
      expect(back).toMatchObject({ code: 0, stdout: `reverted: ${label(migrations.at(-1)!)}\n` });
      expect(await versions()).toEqual(all.slice(0, -1));

      // The package.json scripts, as the README tells a user to run them.
      const npmUp = await finish(runCommand('npm', ['run', '--silent', 'db:migrate'], env));
      expect(npmUp.code).toBe(0);
      expect(await versions()).toEqual(all);

      const npmAll = await finish(runCommand('npm', ['run', '--silent', 'db:rollback', '--', '--all'], env));
      expect(npmAll.code).toBe(0);
      expect(npmAll.stdout).toContain('reverted:');
      expect(await versions()).toEqual([]);
      expect(await exists(t.database, 'users')).toBe(false);

      const bad = await finish(runTsx('functions/platform/db/cli.ts', ['down', '--steps', '0'], env));
      expect(bad.code).not.toBe(0);
      expect(bad.stderr).toContain('--steps needs a positive integer');
    } finally {
      rmSync(env.K8SM_DATA_DIR, { recursive: true, force: true });
    }
  }, 180_000);
});

describe('the migration CLI on the embedded database', () => {
  afterAll(killAll);

  it('migrates the PGlite in K8SM_DATA_DIR up and back down', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'k8sm-cli-'));
    try {
      const up = runTsx('functions/platform/db/cli.ts', ['up'], { K8SM_DATA_DIR: dataDir });
      expect((await waitExit(up, 60_000)).code).toBe(0);
      expect(up.stdout()).toBe(`applied: ${migrations.map(label).join(', ')}\n`);

      // The child has exited, so its single-connection database may be opened here.
      const db = await openPglite(join(dataDir, 'pgdata'));
      try {
        expect(await appliedVersions(db)).toEqual(migrations.map((m) => m.version));
      } finally {
        await db.close();
      }

      const down = runTsx('functions/platform/db/cli.ts', ['down', '--all'], { K8SM_DATA_DIR: dataDir });
      expect((await waitExit(down, 60_000)).code).toBe(0);
      expect(down.stdout()).toBe(`reverted: ${migrations.map(label).reverse().join(', ')}\n`);
      const after = await openPglite(join(dataDir, 'pgdata'));
      try {
        expect(await appliedVersions(after)).toEqual([]);
        expect(await exists(after, 'users')).toBe(false);
      } finally {
        await after.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 180_000);
});
