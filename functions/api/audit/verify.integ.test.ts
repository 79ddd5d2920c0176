import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../../../test/support/databases';
import { createTestPlatform, type TestPlatform } from '../../../test/support/platform';
import { eventHash } from './chain';
import { CHECKPOINT_EVERY_EVENTS, checkpointIfDue } from './checkpoint';
import { verifyChain } from './verify';
import { recordEvent } from './writer';

/** Tampering needs the append-only trigger out of the way, as an attacker with DB access would. */
async function asAttacker(p: TestPlatform, sql: string, params: unknown[] = []) {
  const db = p.deps.database;
  await db.query('alter table audit_events disable trigger user');
  try {
    await db.query(sql, params);
  } finally {
    await db.query('alter table audit_events enable trigger user');
  }
}

type Raw = Record<string, any>;
const fields = (r: Raw) => ({
  id: r.id,
  seq: Number(r.seq),
  action: r.action,
  resourceType: r.resource_type,
  resourceId: r.resource_id,
  projectId: r.project_id,
  teamId: r.team_id,
  environmentId: r.environment_id,
  actorId: r.actor_id,
  source: r.source,
  status: r.status,
  occurredAt: new Date(r.occurred_at),
  detail: r.detail,
  prevHash: r.prev_hash,
});

/**
 * What someone with database access alone can do: change one event and recompute `hash` and
 * `prev_hash` of it and every event after it with the project's own eventHash(), so the chain of
 * hashes holds again. The MACs they cannot recompute; they keep the old ones.
 */
async function editAndRehash(p: TestPlatform, seq: number, status: string) {
  const rows = await p.deps.database.query<Raw>('select * from audit_events where seq >= $1 order by seq', [
    seq,
  ]);
  let prev = rows[0]!.prev_hash as string;
  for (const [i, r] of rows.entries()) {
    const f = { ...fields(r), prevHash: prev, ...(i === 0 ? { status } : {}) };
    const hash = eventHash(f);
    await asAttacker(p, 'update audit_events set status = $1, prev_hash = $2, hash = $3 where id = $4', [
      f.status,
      prev,
      hash,
      r.id,
    ]);
    prev = hash;
  }
  return rows[0]!.id as string;
}

const ids = (p: TestPlatform) =>
  p.deps.database.query<{ id: string; seq: string }>('select id, seq from audit_events order by seq');

describe.each(await backends())('audit chain verification on %s', (backend) => {
  let p: TestPlatform;
  let token: string;

  const makeEvents = async (q: TestPlatform, t: string, n: number) => {
    for (let i = 0; i < n; i++)
      await q.request('POST', '/projects', {
        token: t,
        body: { name: `v-${Math.random().toString(36).slice(2, 10)}` },
      });
  };
  const verify = async () => (await p.request('GET', '/audit/verify', { token })).json;
  const verifyOf = (q: TestPlatform) => verifyChain(q.deps.database.db, q.deps.keys, q.deps.auditAnchor);
  /**
   * A chain of its own, so tampering does not leak into the next case: the events, checkpoints
   * and anchor are emptied (a platform per case is too slow here); the process's MAC key stays.
   */
  async function fresh(fn: (q: TestPlatform, t: string) => Promise<void>) {
    await asAttacker(p, 'delete from audit_events');
    await p.deps.database.query('delete from audit_checkpoints');
    writeFileSync(`${p.dataDir}/audit-anchor.jsonl`, '');
    await fn(p, token);
  }

  beforeAll(async () => {
    p = await createTestPlatform(backend);
    token = await p.adminToken();
  });
  afterAll(() => p.close());

  it('holds for an untouched chain and counts every event', async () => {
    await makeEvents(p, token, 3);
    await checkpointIfDue(p.deps);
    const [row] = await p.deps.database.query<{ n: string }>('select count(*) as n from audit_events');
    const v = await verify();
    expect(v).toEqual({
      ok: true,
      count: Number(row!.n),
      first_bad_event_id: null,
      truncated_after: null,
      unanchored_tail: { count: 0, since: null },
    });
  });

  it('finds an edited event', async () => {
    const [victim] = await p.deps.database.query<{ id: string; seq: number }>(
      'select id, seq from audit_events order by seq limit 1 offset 2',
    );
    await asAttacker(p, `update audit_events set detail = '{"name":"forged"}' where id = '${victim!.id}'`);
    const v = await verify();
    expect(v.ok).toBe(false);
    expect(v.first_bad_event_id).toBe(victim!.id);
  });

  it('finds an edit that re-hashed the rest of the chain, by the signed checkpoint', async () => {
    await fresh(async (q, t) => {
      await q.request('POST', '/projects', { token: t, body: { name: 'anchored' } });
      await checkpointIfDue(q.deps);
      // Rewrite the last event and fix up its own hash: the walk of hashes passes, the rest does not.
      const rows = await q.deps.database.query<Raw>('select * from audit_events order by seq desc limit 1');
      const last = rows[0]!;
      const forged = { ...fields(last), status: 'forged' };
      await asAttacker(
        q,
        `update audit_events set status = 'forged', hash = '${eventHash(forged)}' where id = '${last.id}'`,
      );
      expect(await verifyOf(q)).toMatchObject({ ok: false, first_bad_event_id: last.id });
    });
  });

  it('finds a deletion in the middle and a cut-off tail', async () => {
    await fresh(async (q, t) => {
      await makeEvents(q, t, 3);
      for (const name of ['a1', 'a2', 'a3'])
        await q.request('POST', '/projects', { token: t, body: { name } });
      await checkpointIfDue(q.deps);
      const all = await ids(q);
      // Cut the tail: the last two events vanish; the checkpoint still names the last one.
      await asAttacker(q, `delete from audit_events where seq > ${Number(all.at(-3)!.seq)}`);
      const cut = await verifyOf(q);
      expect(cut).toMatchObject({ ok: false, truncated_after: all.at(-3)!.id, first_bad_event_id: null });
      // And a hole in the middle.
      await asAttacker(q, `delete from audit_events where seq = 2`);
      const hole = await verifyOf(q);
      expect(hole.ok).toBe(false);
      expect(hole.first_bad_event_id).toBe(all[2]!.id);
    });
  });

  it('refuses a forged checkpoint', async () => {
    await fresh(async (q, t) => {
      await makeEvents(q, t, 1);
      const [c] = await checkpointIfDue(q.deps);
      await q.deps.database.query(
        `update audit_checkpoints set event_count = event_count + 1 where id = '${c!.id}'`,
      );
      expect((await verifyOf(q)).ok).toBe(false);
    });
  });

  it('names the edited event when the rest was re-hashed and every checkpoint deleted', async () => {
    await fresh(async (q, t) => {
      await makeEvents(q, t, 4);
      await checkpointIfDue(q.deps);
      const victim = await editAndRehash(q, 3, 'forged');
      await q.deps.database.query('delete from audit_checkpoints');
      expect(await verifyOf(q)).toMatchObject({
        ok: false,
        first_bad_event_id: victim,
        truncated_after: null,
      });
    });
  });

  it('names the cut point when the tail and the checkpoints covering it were deleted', async () => {
    await fresh(async (q, t) => {
      await makeEvents(q, t, 2);
      await checkpointIfDue(q.deps);
      const kept = (await ids(q)).at(-1)!;
      await makeEvents(q, t, 3);
      await checkpointIfDue(q.deps);
      await asAttacker(q, `delete from audit_events where seq > ${Number(kept.seq)}`);
      await q.deps.database.query(`delete from audit_checkpoints where last_seq > ${Number(kept.seq)}`);
      expect(await verifyOf(q)).toMatchObject({
        ok: false,
        truncated_after: kept.id,
        first_bad_event_id: null,
      });
    });
  });

  it('names an event edited and re-hashed after the newest checkpoint, with nothing deleted', async () => {
    await fresh(async (q, t) => {
      await makeEvents(q, t, 2);
      await checkpointIfDue(q.deps);
      await makeEvents(q, t, 3);
      const seq = Number((await ids(q)).at(-2)!.seq);
      const victim = await editAndRehash(q, seq, 'forged');
      expect(await verifyOf(q)).toMatchObject({ ok: false, first_bad_event_id: victim });
    });
  });

  it('names the changed event itself, not the checkpoint that covers it', async () => {
    await fresh(async (q, t) => {
      await makeEvents(q, t, 4);
      await checkpointIfDue(q.deps);
      const victim = await editAndRehash(q, 2, 'forged');
      const all = await ids(q);
      expect(victim).not.toBe(all.at(-1)!.id);
      expect(await verifyOf(q)).toMatchObject({ ok: false, first_bad_event_id: victim });
    });
  });

  it('reports events after the newest anchored checkpoint as an unanchored tail, without failing', async () => {
    await fresh(async (q, t) => {
      await makeEvents(q, t, 1);
      await checkpointIfDue(q.deps);
      q.clock.advance(1000);
      const since = q.clock.now().toISOString();
      await makeEvents(q, t, 2);
      expect(await verifyOf(q)).toEqual({
        ok: true,
        count: (await ids(q)).length,
        first_bad_event_id: null,
        truncated_after: null,
        unanchored_tail: { count: 2, since },
      });
      // Cutting within the unanchored tail cannot be proven, and verify claims nothing about it.
      await asAttacker(q, 'delete from audit_events where seq = (select max(seq) from audit_events)');
      expect(await verifyOf(q)).toMatchObject({ ok: true, unanchored_tail: { count: 1, since } });
    });
  });

  it('finds a checkpoint deleted from the middle, since each covers the one before it', async () => {
    await fresh(async (q, t) => {
      for (let i = 0; i < 3; i++) {
        await makeEvents(q, t, 1);
        await checkpointIfDue(q.deps);
      }
      const cps = await q.deps.database.query<{ id: string; last_event_id: string }>(
        'select id, last_event_id from audit_checkpoints order by last_seq',
      );
      expect(cps.length).toBeGreaterThanOrEqual(3);
      await q.deps.database.query('delete from audit_checkpoints where id = $1', [cps[1]!.id]);
      expect(await verifyOf(q)).toMatchObject({ ok: false, first_bad_event_id: cps[2]!.last_event_id });
    });
  });

  it('copies every checkpoint to the append-only anchor file in the data directory', async () => {
    await fresh(async (q, t) => {
      await makeEvents(q, t, 1);
      const [first] = await checkpointIfDue(q.deps);
      await makeEvents(q, t, 1);
      const [second] = await checkpointIfDue(q.deps);
      expect(q.deps.config.auditAnchor).toEqual({ kind: 'file', path: `${q.dataDir}/audit-anchor.jsonl` });
      const lines = readFileSync(`${q.dataDir}/audit-anchor.jsonl`, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(lines.map((l) => l.id)).toEqual([first!.id, second!.id]);
      expect(lines[1]).toMatchObject({ last_seq: second!.lastSeq, mac: second!.mac, prev_mac: first!.mac });
      const anchored = await q.deps.database.query<{ n: string }>(
        'select count(*) as n from audit_checkpoints where anchored_at is null',
      );
      expect(Number(anchored[0]!.n)).toBe(0);
    });
  });

  it('checkpoints at every hundredth event and at the head, each from the first event on', async () => {
    await fresh(async (q) => {
      const actor = { userId: null, source: 'system' as const };
      for (let i = 0; i < 2 * CHECKPOINT_EVERY_EVENTS + 30; i++)
        await q.deps.database.db.transaction((tx) =>
          recordEvent(tx, q.clock, {
            action: 'project.created',
            resourceType: 'project',
            resourceId: `prj_${i}`,
            actor,
          }),
        );
      const made = await checkpointIfDue(q.deps);
      expect(made.map((c) => [c.lastSeq, c.eventCount])).toEqual([
        [100, 100],
        [200, 200],
        [230, 230],
      ]);
      expect(made[1]!.prevMac).toBe(made[0]!.mac);
      expect(await checkpointIfDue(q.deps)).toEqual([]);
      expect(await verifyOf(q)).toMatchObject({ ok: true, count: 230, unanchored_tail: { count: 0 } });
    });
  }, 120_000);
});
