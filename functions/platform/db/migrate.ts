import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Database, ScriptRunner } from './types';

export type Migration = { version: number; name: string; up: string; down: string };

/** Any constant works; it only has to be the same for every migrator of this schema. */
const MIGRATION_LOCK = 7_281_001;

export const defaultMigrationsDir = () => new URL('../../../migrations', import.meta.url).pathname;

/** Reads `NNNN_name.up.sql` / `NNNN_name.down.sql` pairs; a missing half is an error, not a skip. */
export async function loadMigrations(dir = defaultMigrationsDir()): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort();
  const byVersion = new Map<number, Partial<Migration>>();
  for (const f of files) {
    const m = /^(\d{4})_([a-z0-9_]+)\.(up|down)\.sql$/.exec(f);
    if (!m) throw new Error(`migration file name not understood: ${f}`);
    const version = Number(m[1]);
    const entry = byVersion.get(version) ?? { version, name: m[2] };
    if (entry.name !== m[2]) throw new Error(`two names for migration ${m[1]}`);
    entry[m[3] as 'up' | 'down'] = await readFile(join(dir, f), 'utf8');
    byVersion.set(version, entry);
  }
  return [...byVersion.values()]
    .map((m) => {
      if (m.up === undefined || m.down === undefined)
        throw new Error(`migration ${m.version} lacks an up or a down`);
      return m as Migration;
    })
    .sort((a, b) => a.version - b.version);
}

async function ensureLedger(db: Database) {
  await db.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await tx.exec(`create table if not exists schema_migrations (
      version integer primary key, name text not null, applied_at timestamptz not null default now())`);
  });
}

export async function appliedVersions(db: Database): Promise<number[]> {
  await ensureLedger(db);
  const rows = await db.query<{ version: number }>('select version from schema_migrations order by version');
  return rows.map((r) => Number(r.version));
}

async function isApplied(tx: ScriptRunner, version: number) {
  return (await tx.query('select 1 from schema_migrations where version = $1', [version])).length > 0;
}

/**
 * Applies every pending migration, each in its own transaction together with its ledger row, under
 * an advisory lock: two migrators starting at once apply each migration exactly once.
 */
export async function migrateUp(db: Database, migrations: Migration[]): Promise<string[]> {
  await ensureLedger(db);
  const applied: string[] = [];
  for (const m of migrations) {
    const did = await db.transaction(async (tx) => {
      await tx.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      if (await isApplied(tx, m.version)) return false;
      await tx.exec(m.up);
      await tx.query('insert into schema_migrations (version, name) values ($1, $2)', [m.version, m.name]);
      return true;
    });
    if (did) applied.push(`${m.version}_${m.name}`);
  }
  return applied;
}

/** Reverts the newest `steps` applied migrations (all of them with steps = Infinity). */
export async function migrateDown(db: Database, migrations: Migration[], steps: number): Promise<string[]> {
  const versions = (await appliedVersions(db)).reverse().slice(0, steps);
  const reverted: string[] = [];
  for (const v of versions) {
    const m = migrations.find((x) => x.version === v);
    if (!m) throw new Error(`migration ${v} is applied but its files are missing; cannot roll back`);
    const did = await db.transaction(async (tx) => {
      await tx.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      if (!(await isApplied(tx, m.version))) return false;
      await tx.exec(m.down);
      await tx.query('delete from schema_migrations where version = $1', [m.version]);
      return true;
    });
    if (did) reverted.push(`${m.version}_${m.name}`);
  }
  return reverted;
}

/** Pending migrations, for /ready; reads only, so a readiness probe never creates anything. */
export async function pendingMigrations(db: Database, migrations: Migration[]): Promise<number[]> {
  const [ledger] = await db.query<{ t: string | null }>(`select to_regclass('schema_migrations')::text as t`);
  const rows = ledger?.t ? await db.query<{ version: number }>('select version from schema_migrations') : [];
  const have = new Set(rows.map((r) => Number(r.version)));
  return migrations.filter((m) => !have.has(m.version)).map((m) => m.version);
}
