import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../../../test/support/databases';
import { recordResponse, registerSecret } from '../../../test/support/leak-guard';
import { createTestPlatform, PASSWORD, type TestPlatform } from '../../../test/support/platform';
import { REFRESH_COOKIE } from './cookie';

type Answer = { status: number; json: any; text: string; cookie: string | null; token: string | undefined };

/** The one Set-Cookie of an answer, and the refresh token it carries (registered as a secret). */
async function answer(res: Response): Promise<Answer> {
  const text = await res.text();
  recordResponse(text);
  const cookie = res.headers.get('set-cookie');
  const token = cookie?.match(new RegExp(`^${REFRESH_COOKIE}=([^;]*)`))?.[1] || undefined;
  if (token) registerSecret(token);
  return { status: res.status, json: text ? JSON.parse(text) : undefined, text, cookie, token };
}

const HOUR = 3600_000;

describe.each(await backends())('SPA sessions on %s', (backend) => {
  let p: TestPlatform;
  beforeAll(async () => {
    p = await createTestPlatform(backend);
  }, 180_000);
  afterAll(() => p.close());

  /** A POST the way the SPA sends it: JSON content type, the cookie if there is one. */
  async function post(
    path: string,
    opts: { cookie?: string; type?: string | null; origin?: string; body?: unknown } = {},
  ) {
    const headers: Record<string, string> = {};
    if (opts.type !== null) headers['content-type'] = opts.type ?? 'application/json';
    if (opts.cookie) headers.cookie = `${REFRESH_COOKIE}=${opts.cookie}`;
    const body = opts.body === undefined ? undefined : JSON.stringify(opts.body);
    const origin = opts.origin ?? 'http://localhost';
    return answer(await p.app.request(`${origin}/api/v1${path}`, { method: 'POST', headers, body }));
  }

  async function signIn(username: string, password = PASSWORD, origin?: string) {
    const res = await post('/auth/login', { body: { username, password }, ...(origin ? { origin } : {}) });
    expect(res.status, res.text).toBe(200);
    return res;
  }
  const refresh = (cookie?: string) => post('/auth/refresh', cookie ? { cookie } : {});
  const me = (token: string) => p.request('GET', '/me', { token });
  const events = async (action: string) =>
    (await p.request('GET', `/audit/events?action=${action}&limit=200`, { token: await p.adminToken() })).json
      .items as {
      resource_id: string;
      actor_id: string | null;
      status: string;
      detail: Record<string, unknown>;
    }[];

  it('sets the refresh token at login only in an httpOnly, SameSite=Strict cookie scoped to /api/v1/auth', async () => {
    const u = await p.userWithRole('viewer');
    const res = await signIn(u.username);
    expect(Object.keys(res.json).sort()).toEqual(['access_token', 'expires_in', 'token_type']);
    expect(res.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(res.text).not.toContain(res.token);
    const attrs = res.cookie!.split('; ').slice(1);
    expect(attrs).toEqual(
      expect.arrayContaining(['Max-Age=43200', 'Path=/api/v1/auth', 'HttpOnly', 'SameSite=Strict']),
    );
    // Plain http on loopback: a Secure cookie would never come back from http://localhost.
    expect(attrs).not.toContain('Secure');
    // Only its SHA-256 is stored.
    const rows = await p.deps.database.query<{ token_hash: string }>(
      'select token_hash from refresh_tokens where user_id = $1',
      [u.id],
    );
    const hash = createHash('sha256').update(res.token!).digest('hex');
    expect(rows.map((r) => r.token_hash)).toContain(hash);
    expect(JSON.stringify(rows)).not.toContain(res.token);
  });

  it.each([
    ['http://localhost:8080', false],
    ['http://127.0.0.1:8080', false],
    ['http://[::1]:8080', false],
    ['http://k8sm.example', true],
    ['http://10.0.0.8:8080', true],
    ['https://k8sm.example', true],
    ['https://localhost', true],
  ])('marks the cookie Secure for %s: %s', async (origin, secure) => {
    const u = await p.userWithRole('viewer');
    const res = await signIn(u.username, PASSWORD, origin);
    expect(res.cookie!.split('; ').includes('Secure')).toBe(secure);
  });

  it('rotates the cookie on every refresh and answers with an access token that works', async () => {
    const u = await p.userWithRole('viewer');
    const first = await signIn(u.username);
    const second = await refresh(first.token);
    expect(second.status, second.text).toBe(200);
    expect(Object.keys(second.json).sort()).toEqual(['access_token', 'expires_in', 'token_type']);
    expect(second.token).toBeDefined();
    expect(second.token).not.toBe(first.token);
    expect(second.text).not.toContain(second.token);
    expect((await me(second.json.access_token)).json.user.username).toBe(u.username);
    const third = await refresh(second.token);
    expect(third.status).toBe(200);
    expect(third.token).not.toBe(second.token);
    const ok = (await events('auth.refreshed')).filter((e) => e.resource_id === u.id);
    expect(ok).toHaveLength(2);
    expect(ok[0]).toMatchObject({ actor_id: u.id, status: 'succeeded' });
  });

  it('treats a used cookie shown again as theft: 401, and the whole session ends', async () => {
    const u = await p.userWithRole('viewer');
    const stolen = (await signIn(u.username)).token;
    const owner = await refresh(stolen);
    expect(owner.status).toBe(200);
    const thief = await refresh(stolen);
    expect([thief.status, thief.json.error.code]).toEqual([401, 'UNAUTHENTICATED']);
    // The owner's newer cookie died with it: whoever held which copy signs in again.
    expect((await refresh(owner.token)).status).toBe(401);
    // One alarm: the owner's refused refresh afterwards finds the session already over.
    const failed = (await events('auth.refresh_failed')).filter((e) => e.resource_id === u.id);
    expect(failed).toEqual([
      expect.objectContaining({
        status: 'failed',
        actor_id: null,
        detail: expect.objectContaining({ reason: 'reused' }),
      }),
    ]);
    // Another sign-in is a new session, untouched by the old one's end.
    const again = await signIn(u.username);
    expect((await refresh(again.token)).status).toBe(200);
  });

  it('lets exactly one of two refreshes with the same cookie at once through', async () => {
    const u = await p.userWithRole('viewer');
    const token = (await signIn(u.username)).token;
    const both = await Promise.all([refresh(token), refresh(token)]);
    expect(both.map((r) => r.status).sort()).toEqual([200, 401]);
  });

  it('refuses a missing, unknown or malformed cookie alike and clears it', async () => {
    const none = await refresh();
    const unknown = await refresh('A'.repeat(43));
    const odd = await refresh('not even base64!');
    for (const r of [none, unknown, odd]) {
      expect(r.status).toBe(401);
      expect(r.json.error.message).toBe(none.json.error.message);
      expect(r.cookie).toMatch(new RegExp(`^${REFRESH_COOKIE}=; Max-Age=0; Path=/api/v1/auth`));
    }
  });

  it('needs Content-Type: application/json on refresh and logout, and then uses nothing up', async () => {
    const u = await p.userWithRole('viewer');
    const token = (await signIn(u.username)).token!;
    for (const type of [null, 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data']) {
      expect((await post('/auth/refresh', { cookie: token, type })).status).toBe(415);
      expect((await post('/auth/logout', { cookie: token, type })).status).toBe(415);
    }
    expect((await refresh(token)).status).toBe(200);
  });

  it('logs out: 204, the cookie is cleared and its session is over', async () => {
    const u = await p.userWithRole('viewer');
    const first = (await signIn(u.username)).token;
    const current = (await refresh(first)).token;
    const out = await post('/auth/logout', { cookie: current });
    expect(out.status).toBe(204);
    expect(out.cookie).toMatch(new RegExp(`^${REFRESH_COOKIE}=; Max-Age=0; Path=/api/v1/auth`));
    expect((await refresh(current)).status).toBe(401);
    expect((await events('auth.logged_out')).filter((e) => e.resource_id === u.id)).toEqual([
      expect.objectContaining({ actor_id: u.id, status: 'succeeded' }),
    ]);
    // Shown after logout it is refused, but it is no theft: the session was already over.
    const failed = (await events('auth.refresh_failed')).filter((e) => e.resource_id === u.id);
    expect(failed).toEqual([]);
    // Again, or without a cookie: still 204, nothing more to audit.
    expect((await post('/auth/logout', { cookie: current })).status).toBe(204);
    expect((await post('/auth/logout')).status).toBe(204);
    expect((await events('auth.logged_out')).filter((e) => e.resource_id === u.id)).toHaveLength(1);
  });

  it('ends the session when the user changes their password', async () => {
    const u = await p.userWithRole('viewer');
    const s = await signIn(u.username);
    const changed = await p.request('POST', '/me/password', {
      token: s.json.access_token,
      body: { current_password: PASSWORD, new_password: 'another long enough password' },
    });
    expect(changed.status).toBe(204);
    expect((await refresh(s.token)).status).toBe(401);
    const failed = (await events('auth.refresh_failed')).filter((e) => e.resource_id === u.id);
    expect(failed.map((e) => e.detail.reason)).toEqual(['token_epoch']);
    // The new password starts a session that works.
    const fresh = await signIn(u.username, 'another long enough password');
    expect((await refresh(fresh.token)).status).toBe(200);
  });

  it('ends the session when the user is disabled, also after a re-enable', async () => {
    const u = await p.userWithRole('viewer');
    const token = (await signIn(u.username)).token;
    const admin = await p.adminToken();
    expect(
      (await p.request('PATCH', `/users/${u.id}`, { token: admin, body: { disabled: true } })).status,
    ).toBe(200);
    expect(
      (await p.request('PATCH', `/users/${u.id}`, { token: admin, body: { disabled: false } })).status,
    ).toBe(200);
    expect((await refresh(token)).status).toBe(401);
  });

  it('refuses a disabled user’s cookie', async () => {
    const u = await p.userWithRole('viewer');
    const token = (await signIn(u.username)).token;
    // Disabled without the epoch advancing (as a direct database change would): still refused.
    await p.deps.database.query('update users set disabled = true where id = $1', [u.id]);
    expect((await refresh(token)).status).toBe(401);
    const failed = (await events('auth.refresh_failed')).filter((e) => e.resource_id === u.id);
    expect(failed.map((e) => e.detail.reason)).toEqual(['disabled']);
  });

  it('ends a session left idle for 12 hours', async () => {
    const u = await p.userWithRole('viewer');
    const a = (await signIn(u.username)).token;
    p.clock.advance(12 * HOUR - 1000);
    const b = await refresh(a);
    expect(b.status).toBe(200);
    p.clock.advance(12 * HOUR);
    expect((await refresh(b.token)).status).toBe(401);
  });

  it('ends a session 7 days after sign-in however often it is used', async () => {
    const u = await p.userWithRole('viewer');
    let token = (await signIn(u.username)).token;
    let last: Answer | undefined;
    // 15 refreshes 11 hours apart: 165 hours, 3 short of 168.
    for (let i = 0; i < 15; i++) {
      p.clock.advance(11 * HOUR);
      last = await refresh(token);
      expect(last.status, `refresh ${i}`).toBe(200);
      token = last.token;
    }
    // The cookie's lifetime shrinks to what is left of the 7 days.
    expect(last!.cookie).toContain(`Max-Age=${3 * 3600}`);
    p.clock.advance(3 * HOUR);
    expect((await refresh(token)).status).toBe(401);
  });
});
