/**
 * What the audit event MAC costs an append: `recordEvent` as it is (chain lock, hash, MAC under the
 * process's cached epoch key) against the same append without the MAC (chain lock, hash, insert),
 * in alternating rounds on one in-memory PGlite so both see the same machine.
 * Run: `npm run bench -- audit`.
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
import { machine } from './machine';
import { fmt, median, ratio, table } from './stats';

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

export type AuditAppendOptions = { perRound: number; rounds: number };

export async function auditAppend({ perRound, rounds }: AuditAppendOptions): Promise<string> {
  const where = machine();
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
    return [
      '## Audit append: what the event MAC costs',
      '',
      `${where}. In-memory PGlite, ${rounds} alternating rounds of ${perRound} appends, each in its own`,
      'transaction; the median per-append time of each kind. Baseline: the same append without the MAC',
      '(chain lock, hash, insert), in the same process.',
      '',
      table(
        ['append', 'median ms', 'vs without MAC'],
        [
          ['without MAC (baseline)', fmt(a, 3), '1.00×'],
          ['with MAC (as shipped)', fmt(b, 3), ratio(b, a)],
        ],
      ),
      '',
      'Reproduce: `npm run bench -- audit`.',
    ].join('\n');
  } finally {
    await database.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
