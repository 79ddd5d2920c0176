import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../../test/support/databases';
import { createTestPlatform, type TestPlatform } from '../../test/support/platform';
import type { VisibleProjects } from '../platform/db/visible';
import { listEnvironments } from './environments/repo';
import { createEnvironment, toEnvironment } from './environments/service';
import { listPage, listVisible } from './pagination';
import { createProject } from './projects/service';

describe.each(await backends())('the list helper on %s', (backend) => {
  let p: TestPlatform;
  let seen: string;
  let hidden: string;
  const actor = { userId: 'system-test', source: 'system' as const, username: 'test' };
  const ctx = () => ({ db: p.deps.database.db, clock: p.deps.clock, actor });
  const grantsOf = (projects: VisibleProjects) => ({ projectsWith: async () => projects });
  const envs = (projects: VisibleProjects, q: { cursor?: string; limit: number }) =>
    listVisible(grantsOf(projects), 'environment:read', q, {
      read: (w) => listEnvironments(p.deps.database.db, w),
      view: toEnvironment,
    });

  beforeAll(async () => {
    p = await createTestPlatform(backend);
    seen = (await createProject({ name: 'seen' }, ctx())).id;
    hidden = (await createProject({ name: 'hidden' }, ctx())).id;
    // Interleaved, so a page of the visible project's rows must skip the hidden ones between them.
    for (const n of [1, 2, 3, 4, 5]) {
      await createEnvironment({ project_id: seen, name: `seen-${n}`, tier: 'development' }, ctx());
      await createEnvironment({ project_id: hidden, name: `hidden-${n}`, tier: 'development' }, ctx());
    }
  });
  afterAll(() => p.close());

  it('pages through every visible row once, over more than one page, then ends', async () => {
    const names: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await envs([seen], { cursor, limit: 2 });
      expect(page.items.length).toBeLessThanOrEqual(2);
      names.push(...page.items.map((e) => e.name));
      cursor = page.next_cursor ?? undefined;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(3);
    expect(names).toEqual(['seen-1', 'seen-2', 'seen-3', 'seen-4', 'seen-5']);
  });

  it('never lists rows of projects the caller may not see', async () => {
    const page = await envs([seen], { limit: 50 });
    expect(page.items.every((e) => e.project_id === seen)).toBe(true);
    expect((await envs([], { limit: 50 })).items).toEqual([]);
    const all = await envs('all', { limit: 50 });
    expect(all.items.filter((e) => e.project_id === hidden)).toHaveLength(5);
  });

  it('reads one row more than the page and offers no cursor when that row is missing', async () => {
    const asked: number[] = [];
    const read = async (w: { limit: number }) => {
      asked.push(w.limit);
      return [{ id: 'env_1' }, { id: 'env_2' }, { id: 'env_3' }].slice(0, w.limit);
    };
    const full = await listPage({ limit: 3 }, { read, view: (r) => r.id });
    expect(asked).toEqual([4]);
    expect(full).toEqual({ items: ['env_1', 'env_2', 'env_3'], next_cursor: null });
    const short = await listPage({ limit: 2 }, { read, view: (r) => r.id });
    expect(short.items).toEqual(['env_1', 'env_2']);
    expect(short.next_cursor).toEqual(expect.any(String));
  });

  it('refuses a cursor it did not issue with VALIDATION_FAILED before reading', async () => {
    let read = false;
    const attempt = listPage(
      { cursor: 'bm9wZQ', limit: 2 },
      {
        read: async () => {
          read = true;
          return [];
        },
        view: (r) => r,
      },
    );
    await expect(attempt).rejects.toMatchObject({ code: 'VALIDATION_FAILED', fields: [{ path: 'cursor' }] });
    expect(read).toBe(false);
  });

  it('answers 422 to a bad cursor on a list route', async () => {
    const token = await p.adminToken();
    const res = await p.request('GET', '/environments?cursor=bm9wZQ', { token });
    expect(res.status).toBe(422);
    expect(res.json.error.fields[0].path).toBe('cursor');
  });
});
