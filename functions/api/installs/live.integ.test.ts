import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../../../test/support/databases';
import { type InstallFixture, installFixture } from '../../../test/support/installs';

/** What the SPA's install page polls: only what changed, and 304 while nothing did. */
describe.each(await backends())('live install task steps on %s', (backend) => {
  let f: InstallFixture;
  beforeAll(async () => {
    f = await installFixture(backend, 1);
  }, 120_000);
  afterAll(() => f.close());

  let taskLogs = '';
  const get = (path: string, headers: Record<string, string> = {}) =>
    f.p.request('GET', path, { token: f.admin, headers });

  it('lists the step runs changed after an event seq, and answers 304 to the current ETag', async () => {
    const [h0] = f.hosts as [string];
    const res = await f.install(f.envs.dev, { runtime: 'compose', version: '24.0.5-test', host_ids: [h0] });
    expect(res.status, res.text).toBe(202);
    const id = res.json.id as string;
    const logs = `/environments/${f.envs.dev}/install/tasks/${id}/logs`;
    taskLogs = logs;
    const detail = `/environments/${f.envs.dev}/install/tasks/${id}`;

    const empty = await get(`${logs}?after=0`);
    expect(empty.status).toBe(200);
    expect(empty.json.items).toEqual([]);
    const emptyTag = empty.headers.get('etag')!;
    expect(emptyTag).toMatch(/^"[^"]+"$/);
    const same = await get(`${logs}?after=0`, { 'if-none-match': emptyTag });
    expect([same.status, same.text]).toEqual([304, '']);
    expect(same.headers.get('etag')).toBe(emptyTag);

    const claim = await f.claimFor(id);
    await f.step(claim, 'preflight', h0, 'running');
    const first = await get(`${logs}?after=0`, { 'if-none-match': emptyTag });
    expect(first.status).toBe(200);
    expect(first.headers.get('etag')).not.toBe(emptyTag);
    expect(first.json.items).toMatchObject([
      { name: `install.preflight.${h0}`, status: 'running', seq: expect.any(Number) },
    ]);
    const seq1 = first.json.items[0].seq as number;
    expect((await get(`${logs}?after=${seq1}`)).json.items).toEqual([]);

    // The same run moving on is listed again, with the seq of its newest change; older runs are not.
    await f.step(claim, 'preflight', h0, 'succeeded', { output: 'preflight ok' });
    await f.step(claim, 'upload', h0, 'running');
    const later = await get(`${logs}?after=${seq1}`);
    expect(later.json.items).toMatchObject([
      { name: `install.preflight.${h0}`, status: 'succeeded', output: 'preflight ok' },
      { name: `install.upload.${h0}`, status: 'running' },
    ]);
    const [a, b] = later.json.items as { seq: number }[];
    expect(a!.seq).toBeGreaterThan(seq1);
    expect(b!.seq).toBeGreaterThan(a!.seq);
    // Paging by `limit`: the rest comes from the last seq seen.
    const one = await get(`${logs}?after=${seq1}&limit=1`);
    expect(one.json.items.map((s: { name: string }) => s.name)).toEqual([`install.preflight.${h0}`]);
    const rest = await get(`${logs}?after=${one.json.items[0].seq}`);
    expect(rest.json.items.map((s: { name: string }) => s.name)).toEqual([`install.upload.${h0}`]);

    // The task detail answers 304 while nothing changed, and a new ETag once a step moved.
    const d1 = await get(detail);
    const tag = d1.headers.get('etag')!;
    expect((await get(detail, { 'if-none-match': `W/"x", ${tag}` })).status).toBe(304);
    await f.step(claim, 'upload', h0, 'succeeded');
    const d2 = await get(detail, { 'if-none-match': tag });
    expect(d2.status).toBe(200);
    expect(d2.json.steps[0].steps[1]).toMatchObject({ name: 'upload', status: 'succeeded' });
  });

  it('refuses an after that is not an event seq, or after with a cursor', async () => {
    const logs = taskLogs;
    const bad = await get(`${logs}?after=abc`);
    expect([bad.status, bad.json.error.fields[0].path]).toEqual([422, 'after']);
    const both = await get(`${logs}?after=1&cursor=x`);
    expect([both.status, both.json.error.fields[0].path]).toEqual([422, 'cursor']);
  });
});
