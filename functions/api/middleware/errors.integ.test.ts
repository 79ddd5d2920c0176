import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../../../test/support/databases';
import { createTestPlatform, type TestPlatform } from '../../../test/support/platform';

describe.each(await backends())('an unexpected database error on %s', (backend) => {
  let p: TestPlatform;
  let admin: string;
  beforeAll(async () => {
    p = await createTestPlatform(backend);
    admin = await p.adminToken();
    // A rule the service does not know about: its insert fails inside the database.
    await p.deps.database.query(
      `alter table projects add constraint no_leaky check (name not like 'leaky-%')`,
    );
  }, 180_000);
  afterAll(() => p?.close());

  it('answers 500 and logs the statement keyword, never its text or parameters', async () => {
    const res = await p.request('POST', '/projects', { token: admin, body: { name: 'leaky-7d1f9' } });
    expect(res.status).toBe(500);
    expect(res.json.error).toMatchObject({ code: 'INTERNAL', message: 'internal error' });
    expect(res.text).not.toContain('leaky-7d1f9');

    const line = p.logs.find((l) => l.includes('unhandled error'));
    expect(line).toBeDefined();
    expect(line).not.toContain('leaky-7d1f9');
    expect(line).not.toMatch(/insert into|"projects"|params/i);
    expect(JSON.parse(line!).err).toMatchObject({
      message: 'database error',
      sqlstate: '23514',
      statement: 'insert',
    });
  });
});
