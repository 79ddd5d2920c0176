import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../../../test/support/databases';
import { createTestPlatform, type TestPlatform } from '../../../test/support/platform';
import { eventHash, GENESIS_HASH } from './chain';
import { listEvents } from './repo';
import { recordEvent } from './writer';

describe.each(await backends())('audit writer on %s', (backend) => {
  let p: TestPlatform;
  beforeAll(async () => {
    p = await createTestPlatform(backend);
  });
  afterAll(() => p.close());

  const actor = { userId: 'usr_test', source: 'api' as const };
  const all = () => listEvents(p.deps.database.db, { visibleProjects: 'all', limit: 10_000 });

  it('links every event to the one before it, in one order', async () => {
    const events = await all();
    expect(events.length).toBeGreaterThan(3);
    events.forEach((e, i) => {
      expect(e.seq).toBe(i + 1);
      expect(e.prevHash).toBe(i === 0 ? GENESIS_HASH : events[i - 1]!.hash);
      expect(e.hash).toBe(eventHash(e));
    });
  });

  it('writes no event when the change it records rolls back', async () => {
    const before = (await all()).length;
    await expect(
      p.deps.database.db.transaction(async (tx) => {
        await recordEvent(tx, p.clock, {
          action: 'project.created',
          resourceType: 'project',
          resourceId: 'prj_x',
          actor,
        });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect((await all()).length).toBe(before);
  });

  it('keeps a single chain when many writers append at once', async () => {
    const writes = Array.from({ length: 12 }, (_, i) =>
      p.deps.database.db.transaction((tx) =>
        recordEvent(tx, p.clock, {
          action: 'project.created',
          resourceType: 'project',
          resourceId: `prj_${i}`,
          actor,
        }),
      ),
    );
    await Promise.all(writes);
    const events = await all();
    const seqs = events.map((e) => e.seq);
    expect(new Set(seqs).size).toBe(seqs.length);
    for (const [i, e] of events.slice(1).entries()) expect(e.prevHash).toBe(events[i]!.hash);
  });

  it('refuses updates, deletes and truncation of the stream in the database itself', async () => {
    const db = p.deps.database;
    await expect(db.query(`update audit_events set status = 'forged' where seq = 1`)).rejects.toThrow(
      /append-only/,
    );
    await expect(db.query('delete from audit_events where seq = 1')).rejects.toThrow(/append-only/);
    await expect(db.query('truncate audit_events')).rejects.toThrow(/append-only/);
    const [first] = await db.query<{ status: string }>('select status from audit_events where seq = 1');
    expect(first?.status).toBe('succeeded');
  });

  it('records every mutation made through the API with its actor and project', async () => {
    const token = await p.adminToken();
    const me = (await p.request('GET', '/me', { token })).json.user.id;
    const project = await p.request('POST', '/projects', {
      token,
      body: { name: 'audited' },
      headers: { 'x-k8sm-source': 'ui' },
    });
    const env = await p.request('POST', '/environments', {
      token,
      body: { project_id: project.json.id, name: 'dev', tier: 'development' },
    });
    await p.request('PATCH', `/environments/${env.json.id}`, { token, body: { name: 'develop' } });
    const res = await p.request('GET', `/audit/events?project_id=${project.json.id}`, { token });
    expect(res.json.items.map((e: { action: string }) => e.action)).toEqual([
      'project.created',
      'environment.created',
      'environment.updated',
    ]);
    expect(res.json.items[0]).toMatchObject({
      actor_id: me,
      source: 'ui',
      project_id: project.json.id,
      team_id: null,
    });
    expect(res.json.items[1]).toMatchObject({
      source: 'api',
      environment_id: env.json.id,
      resource_id: env.json.id,
    });
    // A refused mutation leaves nothing behind.
    const dup = await p.request('POST', '/environments', {
      token,
      body: { project_id: project.json.id, name: 'develop', tier: 'staging' },
    });
    expect(dup.status).toBe(409);
    const again = await p.request('GET', `/audit/events?project_id=${project.json.id}`, { token });
    expect(again.json.items).toHaveLength(3);
  });
});
