import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { backends } from '../../../test/support/databases';
import { createTestPlatform, PASSWORD, type TestPlatform } from '../../../test/support/platform';
import { type PasswordHasher, scryptHasher } from './password';
import { USER_FAILURE_LIMIT } from './service';

/** scrypt, counting each verification and the stored hash it was checked against. */
function countingHasher() {
  const checked: string[] = [];
  const hasher: PasswordHasher = {
    ...scryptHasher,
    async verify(password, stored) {
      checked.push(stored);
      return scryptHasher.verify(password, stored);
    },
  };
  return { hasher, checked };
}

/** `scrypt$N$r$p$salt$key` → the cost parameters and the salt's length in bytes. */
const params = (stored: string) => {
  const [alg, n, r, p, salt] = stored.split('$');
  return { alg, n, r, p, saltBytes: Buffer.from(salt ?? '', 'base64').length };
};

describe.each(await backends())('login attempts on %s', (backend) => {
  let p: TestPlatform;
  let counter: ReturnType<typeof countingHasher>;
  beforeAll(async () => {
    p = await createTestPlatform(backend);
  }, 180_000);
  afterAll(() => p.close());
  beforeEach(() => {
    counter = countingHasher();
    p.deps.passwords = counter.hasher;
  });

  const attempt = (username: string, password: string) =>
    p.request('POST', '/auth/login', { body: { username, password } });

  it('counts parallel wrong logins before checking them: of 50 at once at most 5 passwords are checked', async () => {
    const u = await p.userWithRole('viewer');
    counter.checked.length = 0;
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => attempt(u.username, `wrong-${i}`)),
    );
    const statuses = results.map((r) => r.status);
    expect(counter.checked.length).toBeLessThanOrEqual(USER_FAILURE_LIMIT);
    expect(statuses.filter((s) => s === 401).length).toBe(counter.checked.length);
    expect(statuses.filter((s) => s === 429).length).toBe(50 - counter.checked.length);
    for (const r of results.filter((x) => x.status === 429)) {
      expect(r.json.error.code).toBe('THROTTLED');
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
    }

    // The right password during the lock is refused unchecked, so it tells the guesser nothing.
    const before = counter.checked.length;
    const right = await attempt(u.username, PASSWORD);
    expect(right.status).toBe(429);
    expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(counter.checked.length).toBe(before);
    p.clock.advance(61_000);
  }, 120_000);

  it('refuses the right password sent in a burst of wrong ones once the burst has used up the limit', async () => {
    const u = await p.userWithRole('viewer');
    const wrong = await Promise.all(Array.from({ length: 20 }, (_, i) => attempt(u.username, `bad-${i}`)));
    expect(wrong.filter((r) => r.status === 401).length).toBe(USER_FAILURE_LIMIT);
    const right = await attempt(u.username, PASSWORD);
    expect([right.status, right.json.error.code]).toEqual([429, 'THROTTLED']);
    p.clock.advance(61_000);
    expect((await attempt(u.username, PASSWORD)).status).toBe(200);
  }, 120_000);

  it('gives a successful login’s reserved attempt back: successes never add up to a lock', async () => {
    const u = await p.userWithRole('viewer');
    const addressFailures = async () =>
      (
        await p.deps.database.query<{ failures: number }>(
          "select failures from login_throttle where bucket like 'addr:%'",
        )
      ).map((r) => Number(r.failures));
    for (let i = 0; i < USER_FAILURE_LIMIT - 1; i++)
      expect((await attempt(u.username, `no-${i}`)).status).toBe(401);
    const counted = await addressFailures();
    expect(counted).toHaveLength(1);
    for (let i = 0; i < USER_FAILURE_LIMIT + 1; i++)
      expect((await attempt(u.username, PASSWORD)).status).toBe(200);
    expect(await addressFailures()).toEqual(counted);
  }, 60_000);

  it('verifies an unknown user’s password with the same scrypt as a known user’s, every time', async () => {
    const u = await p.userWithRole('viewer');
    counter.checked.length = 0;
    expect((await attempt(u.username, 'not it')).status).toBe(401);
    for (let i = 0; i < 3; i++) expect((await attempt(`nobody-${i}`, 'not it')).status).toBe(401);
    expect(counter.checked).toHaveLength(4);
    const [known, ...unknown] = counter.checked.map(params);
    expect(known).toEqual({ alg: 'scrypt', n: '32768', r: '8', p: '1', saltBytes: 16 });
    for (const d of unknown) expect(d).toEqual(known);
    // The decoy is a real hash of a random password: verification fails after the full cost.
    expect(await scryptHasher.verify('not it', counter.checked[1]!)).toBe(false);
  }, 60_000);
});
