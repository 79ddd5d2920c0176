import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../e2e/stack';
import { Browsing, browserTestsAvailable, checkPage, ensureWebBuilt, navigate, signIn } from './harness';

/**
 * Sessions as people meet them, in Debian's Chromium against the real `npm start`: a reload keeps
 * you signed in (the refresh cookie), the access token is renewed before it runs out and after a
 * 401, and "Sign out" ends it all.
 */
const available = browserTestsAvailable();

const USER = 'session-user';
const PASSWORD = 'browser session password long enough';

describe.skipIf(!available)('sessions in a real browser', { timeout: 180_000 }, () => {
  let stack: Stack;
  const web = new Browsing();
  let origin = '';

  const tab = () => web.tab();

  beforeAll(async () => {
    await ensureWebBuilt();
    // The shortest access token the platform allows, so its renewal happens within the test.
    stack = await startStack({ K8SM_TOKEN_TTL_SECONDS: '60' }, { healthyWithinMs: 150_000 });
    origin = `http://127.0.0.1:${stack.server.port}`;
    expect((await stack.api('POST', '/users', { username: USER, password: PASSWORD })).status).toBe(201);
    const bound = await stack.api('POST', '/role-bindings', { username: USER, role: 'viewer' });
    expect(bound.status, bound.text).toBe(201);
    await web.start(origin);
  }, 240_000);

  afterAll(async () => {
    await web.close();
    await stack?.stop();
  });

  it('keeps the user signed in, on the same page, across a reload', async () => {
    const t = await tab();
    await signIn(t.page, USER, PASSWORD);
    await navigate(t.page, '/releases?status=failed');
    await t.page.reload();
    await t.page.getByRole('heading', { level: 1, name: 'Releases' }).waitFor();
    expect(new URL(t.page.url()).pathname + new URL(t.page.url()).search).toBe('/releases?status=failed');
    // A full page load of another protected URL too.
    await t.page.goto('/projects');
    await t.page.getByRole('heading', { level: 1, name: 'Projects' }).waitFor();
    expect(new URL(t.page.url()).pathname).toBe('/projects');
    await expect.poll(() => t.page.getByText(USER).first().isVisible()).toBe(true);

    // The refresh token: httpOnly (no script sees it), SameSite=Strict, only sent to the session
    // routes, and not Secure on this plain-http loopback origin.
    const cookies = await t.context.cookies();
    expect(cookies.map((c) => c.name)).toEqual(['k8sm_refresh']);
    expect(cookies[0]).toMatchObject({
      httpOnly: true,
      sameSite: 'Strict',
      path: '/api/v1/auth',
      secure: false,
    });
    expect(
      await t.page.evaluate(
        () => (globalThis as unknown as { document: { cookie: string } }).document.cookie,
      ),
    ).toBe('');
    t.assertClean();
  });

  it('renews the access token before it runs out, without the user noticing', async () => {
    const t = await tab();
    await signIn(t.page, USER, PASSWORD);
    // A 60 s token is renewed 10 s after it was issued (60 s less the minute of margin, at least 10 s).
    const renewed = await t.page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/refresh'), {
      timeout: 40_000,
    });
    expect(renewed.status()).toBe(200);
    await navigate(t.page, '/projects');
    await t.page.getByRole('heading', { level: 1, name: 'Projects' }).waitFor();
    t.assertClean();
  });

  it('answers a 401 by refreshing once and sending the call again', async () => {
    const t = await tab();
    await signIn(t.page, USER, PASSWORD);
    let refused = 0;
    // The next /me is refused as if its token had just been ended; the retry goes through.
    await t.page.route('**/api/v1/me', async (route) => {
      if (refused++ === 0) await route.fulfill({ status: 401, contentType: 'application/json', body: '{}' });
      else await route.continue();
    });
    const refresh = t.page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/refresh'));
    await t.page.reload();
    await t.page.locator('h1').first().waitFor();
    // The reload's own restore is one refresh; wait until /me has been asked twice.
    await expect.poll(() => refused, { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
    expect((await refresh).status()).toBe(200);
    await expect.poll(() => t.page.getByText(USER).first().isVisible()).toBe(true);
    expect(new URL(t.page.url()).pathname).not.toBe('/login');
    await t.page.unroute('**/api/v1/me');
    t.assertClean();
  });

  it('signs out: a protected URL then goes to /login, and sign-in returns to it', async () => {
    const t = await tab();
    await signIn(t.page, USER, PASSWORD);
    await t.page.getByRole('button', { name: 'Sign out' }).click();
    await t.page.waitForURL((u) => u.pathname === '/login');
    // The cookie is gone with the session: a reload of a protected page does not sign back in.
    await t.page.goto('/releases?status=failed');
    await t.page.waitForURL(/\/login\?next=/);
    expect(new URL(t.page.url()).searchParams.get('next')).toBe('/releases?status=failed');
    await checkPage(t.page, 'login-after-sign-out');
    await t.page.getByLabel('Username').fill(USER);
    await t.page.getByLabel(/^Password/).fill(PASSWORD);
    await t.page.getByRole('button', { name: 'Sign in' }).click();
    await t.page.waitForURL((u) => u.pathname + u.search === '/releases?status=failed');
    await t.page.getByRole('heading', { level: 1, name: 'Releases' }).waitFor();
    t.assertClean();
  });
});
