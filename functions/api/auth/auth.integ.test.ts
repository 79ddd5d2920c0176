import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../../../test/support/databases';
import { ADMIN, createTestPlatform, type TestPlatform } from '../../../test/support/platform';
import { AUDIENCE, ISSUER } from './tokens';

const b64url = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

describe.each(await backends())('authentication on %s', (backend) => {
  let p: TestPlatform;
  let token: string;
  beforeAll(async () => {
    p = await createTestPlatform(backend);
    token = await p.adminToken();
  });
  afterAll(() => p.close());

  it('issues a short-lived bearer token for the right password', async () => {
    const res = await p.request('POST', '/auth/login', { body: ADMIN });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ token_type: 'Bearer', expires_in: 900 });
    const [header, claims] = res.json.access_token
      .split('.')
      .slice(0, 2)
      .map((s: string) => JSON.parse(Buffer.from(s, 'base64url').toString()));
    expect(header.alg).toBe('HS256');
    expect(claims).toMatchObject({ iss: ISSUER, aud: AUDIENCE });
    expect(claims.exp - claims.iat).toBe(900);
  });

  it('refuses a wrong password and an unknown user alike', async () => {
    const wrong = await p.request('POST', '/auth/login', {
      body: { username: ADMIN.username, password: 'not the password' },
    });
    const unknown = await p.request('POST', '/auth/login', {
      body: { username: 'nobody', password: 'not the password' },
    });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.json.error.message).toBe(unknown.json.error.message);
    expect(wrong.json.error.code).toBe('UNAUTHENTICATED');
  });

  it('answers 422 with fields for a login body of the wrong shape', async () => {
    const res = await p.request('POST', '/auth/login', { body: { username: 7 } });
    expect(res.status).toBe(422);
    expect(res.json.error.fields.map((f: { path: string }) => f.path).sort()).toEqual([
      'password',
      'username',
    ]);
  });

  it('accepts its own token', async () => {
    expect((await p.request('GET', '/me', { token })).status).toBe(200);
  });

  const forged: [string, () => string][] = [
    ['missing', () => ''],
    ['not a JWT', () => 'garbage'],
    [
      'tampered payload',
      () => {
        const [h, , s] = token.split('.');
        const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString());
        return `${h}.${b64url({ ...claims, sub: 'usr_someoneelse' })}.${s}`;
      },
    ],
    ['tampered signature', () => `${token.slice(0, -4)}${token.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`],
    [
      'alg none',
      () => {
        const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString());
        return `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(claims)}.`;
      },
    ],
    [
      'alg HS512 header on an HS256 signature',
      () => {
        const [, c, s] = token.split('.');
        return `${b64url({ alg: 'HS512', typ: 'JWT' })}.${c}.${s}`;
      },
    ],
  ];

  it.each(forged)('refuses a %s token with 401', async (_name, make) => {
    const t = make();
    const res = await p.request('GET', '/me', { headers: t ? { authorization: `Bearer ${t}` } : {} });
    expect(res.status).toBe(401);
    expect(res.json.error.code).toBe('UNAUTHENTICATED');
    expect(res.headers.get('www-authenticate')).toContain('Bearer');
  });

  it('refuses a token once it has expired', async () => {
    const t = await p.adminToken();
    p.clock.advance(899_000);
    expect((await p.request('GET', '/me', { token: t })).status).toBe(200);
    p.clock.advance(2_000);
    expect((await p.request('GET', '/me', { token: t })).status).toBe(401);
  });

  it('refuses the token of a user who was disabled since it was issued', async () => {
    const u = await p.userWithRole('viewer');
    expect((await p.request('GET', '/me', { token: u.token })).status).toBe(200);
    const admin = await p.adminToken();
    const off = await p.request('PATCH', `/users/${u.id}`, { token: admin, body: { disabled: true } });
    expect(off.status).toBe(200);
    expect((await p.request('GET', '/me', { token: u.token })).status).toBe(401);
    expect(
      (
        await p.request('POST', '/auth/login', {
          body: { username: u.username, password: 'a long enough password' },
        })
      ).status,
    ).toBe(401);
  });

  it('throttles a username after five failures, even for the right password, until the window passes', async () => {
    const u = await p.userWithRole('viewer');
    for (let i = 0; i < 5; i++) {
      expect(
        (await p.request('POST', '/auth/login', { body: { username: u.username, password: `wrong-${i}` } }))
          .status,
      ).toBe(401);
    }
    const blocked = await p.request('POST', '/auth/login', {
      body: { username: u.username, password: 'a long enough password' },
    });
    expect(blocked.status).toBe(429);
    expect(blocked.json.error.code).toBe('THROTTLED');
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another user from the same address is not affected.
    expect((await p.request('POST', '/auth/login', { body: ADMIN })).status).toBe(200);
    p.clock.advance(61_000);
    expect(
      (
        await p.request('POST', '/auth/login', {
          body: { username: u.username, password: 'a long enough password' },
        })
      ).status,
    ).toBe(200);
  });

  it('audits failed and successful logins without the password', async () => {
    const res = await p.request('GET', '/audit/events?action=auth.login_failed', {
      token: await p.adminToken(),
    });
    expect(res.status).toBe(200);
    expect(res.json.items.length).toBeGreaterThan(0);
    expect(res.json.items[0]).toMatchObject({ resource_type: 'user', status: 'failed', actor_id: null });
    expect(res.text).not.toContain('wrong-0');
  });
});

describe('login throttling per address', () => {
  let p: TestPlatform;
  beforeAll(async () => {
    p = await createTestPlatform('pglite');
    // What is counted is under test here, not scrypt: 100 unknown users need not pay for it.
    p.deps.passwords = { ...p.deps.passwords, decoy: async () => 'not-a-hash' };
  });
  afterAll(() => p.close());

  it('caps failures from one address at 100 a minute across usernames, and only failures count', async () => {
    for (let i = 0; i < 20; i++)
      expect((await p.request('POST', '/auth/login', { body: ADMIN })).status).toBe(200);
    for (let i = 0; i < 100; i++) {
      const res = await p.request('POST', '/auth/login', { body: { username: `guess-${i}`, password: 'x' } });
      expect(res.status).toBe(401);
    }
    expect((await p.request('POST', '/auth/login', { body: ADMIN })).status).toBe(429);
  }, 120_000);
});
