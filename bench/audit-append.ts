/**
 * What the audit event MAC costs an append: `recordEvent` as it is (chain lock, hash, MAC under the
 * process's cached epoch key) against the same append without the MAC (chain lock, hash, insert),
 * in alternating rounds on one in-memory PGlite so both see the same machine. Prints the medians.
 * Run: `npx tsx bench/audit-append.ts [appends-per-round] [rounds]`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventHash, GENESIS_HASH } from '../functions/api/audit/chain';
import { insertEvent, lockChain } from '../functions/api/audit/repo';
import { recordEvent } from '../functions/api/audit/writer';
import { buildDeps } from '../functions/api/deps';
import { loadConfig } from '../functions/platform/config';
import { migrateUp } from '../functions/platform/db/migrate';
import { openPglite } from '../functions/platform/db/pglite';
import type { Db } from '../functions/platform/db/types';
import { newId } from '../functions/platform/ids';
import { createLogger } from '../functions/platform/logger';

const perRound = Number(process.argv[2] ?? 200);
const rounds = Number(process.argv[3] ?? 6);
const actor = { userId: null, source: 'system' as const };
const input = (i: number) => ({
  action: 'project.created' as const,
  resourceType: 'project',
  resourceId: `prj_${i}`,
  actor,
});

/** The append before the MACs: what recordEvent did without them. */
async function appendUnmaced(tx: Db, now: Date, i: number) {
  const last = await lockChain(tx);
  const fields = {
    id: newId('evt', now.getTime()),
    seq: (last?.seq ?? 0) + 1,
    action: 'project.created',
    resourceType: 'project',
    resourceId: `prj_${i}`,
    projectId: null,
    teamId: null,
    environmentId: null,
    actorId: null,
    source: 'system',
    status: 'succeeded',
    occurredAt: now,
    detail: {},
    prevHash: last?.hash ?? GENESIS_HASH,
  };
  await insertEvent(tx, { ...fields, hash: eventHash(fields), macKeyId: null, mac: null });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const dataDir = mkdtempSync(join(tmpdir(), 'k8sm-bench-audit-'));
const database = await openPglite(undefined);
try {
  const config = loadConfig({ K8SM_DATA_DIR: dataDir, K8SM_LOG_LEVEL: 'silent' });
  const deps = await buildDeps(config, { database, logger: createLogger('silent', () => {}) });
  await migrateUp(database, deps.migrations);
  const db = database.db;
  const times = { unmaced: [] as number[], maced: [] as number[] };
  // One MACed append first: the epoch key is made once per process, not per append.
  await db.transaction((tx) => recordEvent(tx, deps.clock, input(-1)));
  for (let r = 0; r < rounds; r++) {
    let t = performance.now();
    for (let i = 0; i < perRound; i++) await db.transaction((tx) => appendUnmaced(tx, deps.clock.now(), i));
    times.unmaced.push((performance.now() - t) / perRound);
    t = performance.now();
    for (let i = 0; i < perRound; i++) await db.transaction((tx) => recordEvent(tx, deps.clock, input(i)));
    times.maced.push((performance.now() - t) / perRound);
  }
  const a = median(times.unmaced);
  const b = median(times.maced);
  process.stdout.write(
    `audit append on PGlite, ${rounds} rounds of ${perRound}: without MAC ${a.toFixed(3)} ms, with MAC ${b.toFixed(3)} ms, ratio ${(b / a).toFixed(3)}\n`,
  );
} finally {
  await database.close();
  rmSync(dataDir, { recursive: true, force: true });
}
