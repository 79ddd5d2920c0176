import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../../../test/support/databases';
import { createTestPlatform, type TestPlatform } from '../../../test/support/platform';
import { checkpointIfDue, verifyChain } from './verify';

/** Tampering needs the append-only trigger out of the way, as an attacker with DB access would. */
async function asAttacker(p: TestPlatform, sql: string) {
  const db = p.deps.database;
  await db.query('alter table audit_events disable trigger user');
  try {
    await db.query(sql);
  } finally {
    await db.query('alter table audit_events enable trigger user');
  }
}

describe.each(await backends())('audit chain verification on %s', (backend) => {
  let p: TestPlatform;
  let token: string;

  const makeEvents = async (n: number) => {
    for (let i = 0; i < n; i++)
      await p.request('POST', '/projects', {
        token,
        body: { name: `v-${Math.random().toString(36).slice(2, 10)}` },
      });
  };
  const verify = async () => (await p.request('GET', '/audit/verify', { token })).json;

  beforeAll(async () => {
    p = await createTestPlatform(backend);
    token = await p.adminToken();
  });
  afterAll(() => p.close());

  it('holds for an untouched chain and counts every event', async () => {
    await makeEvents(3);
    await checkpointIfDue(p.deps.database.db, p.clock, p.deps.keys, true);
    const [row] = await p.deps.database.query<{ n: string }>('select count(*) as n from audit_events');
    const v = await verify();
    expect(v).toEqual({ ok: true, count: Number(row!.n), first_bad_event_id: null, truncated_after: null });
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
    const fresh = await createTestPlatform(backend);
    try {
      const t = await fresh.adminToken();
      await fresh.request('POST', '/projects', { token: t, body: { name: 'anchored' } });
      await checkpointIfDue(fresh.deps.database.db, fresh.clock, fresh.deps.keys, true);
      // Rewrite the last event and fix up its own hash: the walk passes, the anchor does not.
      const { eventHash } = await import('./chain');
      const rows = await fresh.deps.database.query<any>(
        'select * from audit_events order by seq desc limit 1',
      );
      const last = rows[0];
      const forged = {
        id: last.id,
        seq: Number(last.seq),
        action: last.action,
        resourceType: last.resource_type,
        resourceId: last.resource_id,
        projectId: last.project_id,
        teamId: last.team_id,
        environmentId: last.environment_id,
        actorId: last.actor_id,
        source: last.source,
        status: 'forged',
        occurredAt: new Date(last.occurred_at),
        detail: last.detail,
        prevHash: last.prev_hash,
      };
      await asAttacker(
        fresh,
        `update audit_events set status = 'forged', hash = '${eventHash(forged)}' where id = '${last.id}'`,
      );
      const v = await verifyChain(fresh.deps.database.db, fresh.deps.keys);
      expect(v).toMatchObject({ ok: false, first_bad_event_id: last.id });
    } finally {
      await fresh.close();
    }
  });

  it('finds a deletion in the middle and a cut-off tail', async () => {
    const fresh = await createTestPlatform(backend);
    try {
      const t = await fresh.adminToken();
      for (const name of ['a1', 'a2', 'a3'])
        await fresh.request('POST', '/projects', { token: t, body: { name } });
      await checkpointIfDue(fresh.deps.database.db, fresh.clock, fresh.deps.keys, true);
      const all = await fresh.deps.database.query<{ id: string; seq: number }>(
        'select id, seq from audit_events order by seq',
      );
      // Cut the tail: the last two events vanish; the checkpoint still names the last one.
      await asAttacker(fresh, `delete from audit_events where seq > ${Number(all.at(-3)!.seq)}`);
      const cut = await verifyChain(fresh.deps.database.db, fresh.deps.keys);
      expect(cut).toMatchObject({ ok: false, truncated_after: all.at(-3)!.id, first_bad_event_id: null });
      // And a hole in the middle.
      await asAttacker(fresh, `delete from audit_events where seq = 2`);
      const hole = await verifyChain(fresh.deps.database.db, fresh.deps.keys);
      expect(hole.ok).toBe(false);
      expect(hole.first_bad_event_id).toBe(all[2]!.id);
    } finally {
      await fresh.close();
    }
  });

  it('refuses a forged checkpoint', async () => {
    const fresh = await createTestPlatform(backend);
    try {
      await fresh.adminToken();
      const c = await checkpointIfDue(fresh.deps.database.db, fresh.clock, fresh.deps.keys, true);
      await fresh.deps.database.query(
        `update audit_checkpoints set event_count = event_count + 1 where id = '${c!.id}'`,
      );
      expect((await verifyChain(fresh.deps.database.db, fresh.deps.keys)).ok).toBe(false);
    } finally {
      await fresh.close();
    }
  });
});
