import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../../../test/support/databases';
import { composeVars, governanceFixture } from '../../../test/support/governance';
import { createTestPlatform, type TestPlatform } from '../../../test/support/platform';

/** What the release page polls: events after a cursor, and 304 while nothing happened. */
describe.each(await backends())('the live release timeline on %s', (backend) => {
  let p: TestPlatform;
  let f: Awaited<ReturnType<typeof governanceFixture>>;
  let deployer: { id: string; token: string };
  let releaseId = '';

  beforeAll(async () => {
    p = await createTestPlatform(backend);
    f = await governanceFixture(p, 'live');
    deployer = await p.userWithRole('deployer', f.project);
  }, 120_000);
  afterAll(() => p.close());

  it('lists only the events after `after`, with an ETag that changes when the timeline does', async () => {
    const pv = await p.request('POST', '/deploy/releases/preview', {
      token: deployer.token,
      body: { service_id: f.serviceId, target_id: f.targets.devCompose, variables: composeVars('1') },
    });
    expect(pv.status, pv.text).toBe(201);
    releaseId = pv.json.id;
    const path = `/deploy/releases/${releaseId}/timeline`;
    const get = (query = '', headers: Record<string, string> = {}) =>
      p.request('GET', `${path}${query}`, { token: deployer.token, headers });

    const all = await get();
    expect(all.json.items.map((e: { action: string }) => e.action)).toEqual(['release.previewed']);
    const seq = all.json.items[0].seq as number;
    const tag = all.headers.get('etag')!;
    expect(tag).toMatch(/^"[^"]+"$/);
    const same = await get('', { 'if-none-match': tag });
    expect([same.status, same.text]).toEqual([304, '']);
    expect(same.headers.get('etag')).toBe(tag);

    const none = await get(`?after=${seq}`);
    expect(none.json).toEqual({ release_id: pv.json.id, items: [] });
    const noneTag = none.headers.get('etag')!;
    expect(noneTag).not.toBe(tag);
    expect((await get(`?after=${seq}`, { 'if-none-match': noneTag })).status).toBe(304);

    await p.request('POST', '/deploy/releases/apply', {
      token: deployer.token,
      body: { preview_ref: pv.json.preview_ref },
    });
    const next = await get(`?after=${seq}`, { 'if-none-match': noneTag });
    expect(next.status).toBe(200);
    expect(next.headers.get('etag')).not.toBe(noneTag);
    expect(next.json.items.map((e: { action: string }) => e.action)).toEqual([
      'release.approved',
      'job.created',
    ]);
    expect(next.json.items.every((e: { seq: number }) => e.seq > seq)).toBe(true);
    // The whole timeline changed too: the old tag no longer matches.
    expect((await get('', { 'if-none-match': tag })).status).toBe(200);
  });

  it('refuses an after that is not an event seq', async () => {
    const res = await p.request('GET', `/deploy/releases/${releaseId}/timeline?after=-1`, { token: f.admin });
    expect([res.status, res.json.error.fields[0].path]).toEqual([422, 'after']);
  });
});
