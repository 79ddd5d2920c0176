import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Answer, login } from '../e2e/server-process';
import { ADMIN_PASSWORD, type Stack, startStack } from '../e2e/stack';
import { registerSecret } from '../support/leak-guard';
import { Browsing, browserTestsAvailable, checkPage, ensureWebBuilt, navigate, WIDTHS } from './harness';

/**
 * Credentials, hosts and clusters in a real browser against the real `npm start` (no runner: the
 * pages' own behaviour is what is tested, and a test connection without a pool is refused).
 */
const available = browserTestsAvailable();

const PASSWORD = 'browser test password long enough';
const SECRET = registerSecret(`pw-web-${Math.random().toString(36).slice(2)}`);

describe.skipIf(!available)('credentials, hosts and clusters in a real browser', { timeout: 180_000 }, () => {
  let stack: Stack;
  const web = new Browsing();
  let origin = '';
  let project = '';

  const api = (method: string, path: string, body?: unknown, token?: string): Promise<Answer> =>
    stack.api(method, path, body, token);

  const tab = (user: string, password: string, viewport = WIDTHS.desktop) =>
    web.signedIn(user, password, viewport);

  async function choose(page: Page, label: string, option: string) {
    await page.getByRole('combobox', { name: label, exact: true }).click();
    await page.getByRole('option', { name: option, exact: true }).click();
  }

  /** Under load a lazily loaded page or an API answer can take longer than expect.poll's second. */
  const eventually = <T>(f: () => Promise<T>) => expect.poll(f, { timeout: 20_000, interval: 200 });

  const invalid = (page: Page, label: RegExp) => page.getByLabel(label).getAttribute('aria-invalid');

  /** What a screen reader announces with the field: the texts its aria-describedby names. */
  async function messageOf(page: Page, label: RegExp) {
    const ids = (await page.getByLabel(label).getAttribute('aria-describedby')) ?? '';
    const texts = await Promise.all(
      ids
        .split(' ')
        .filter(Boolean)
        .map((id) => page.locator(`[id="${id}"]`).textContent()),
    );
    return texts.join(' ');
  }

  beforeAll(async () => {
    await ensureWebBuilt();
    stack = await startStack();
    origin = `http://127.0.0.1:${stack.server.port}`;
    project = (await api('POST', '/projects', { name: 'inv' })).json.id;
    for (const role of ['approver', 'viewer']) {
      await api('POST', '/users', { username: role, password: PASSWORD });
      await api('POST', '/role-bindings', { username: role, role, project_id: project });
    }
    await web.start(origin);
  }, 180_000);

  afterAll(async () => {
    await web.close();
    await stack?.stop();
  }, 60_000);

  it('an admin imports a credential: the missing field is named on the field, the secret never shows', async () => {
    const { page, assertClean } = await tab('admin', ADMIN_PASSWORD);
    await navigate(page, '/credentials');
    // An example of the chosen kind stands beside the form.
    await eventually(() =>
      page.getByRole('complementary', { name: 'Example: SSH private key' }).count(),
    ).toBe(1);
    await choose(page, 'Project', 'inv');
    await page.getByLabel('Credential name').fill('lab-password');
    await choose(page, 'Kind', 'SSH password');
    await eventually(() => page.getByRole('complementary', { name: 'Example: SSH password' }).count()).toBe(
      1,
    );
    await page.getByRole('button', { name: 'Import credential' }).click();
    // The API's 422 names payload.password; the page puts it on that field.
    await eventually(() => invalid(page, /^SSH password/)).toBe('true');
    expect(await invalid(page, /^Credential name/)).not.toBe('true');
    expect(await messageOf(page, /^SSH password/)).toContain('is required');

    await page.getByLabel(/^SSH password/).fill(SECRET);
    await page.getByRole('button', { name: 'Import credential' }).click();
    const table = page.getByRole('table', { name: 'Credentials' });
    await eventually(() => table.getByRole('cell', { name: 'lab-password', exact: true }).count()).toBe(1);
    await eventually(() => invalid(page, /^SSH password/)).not.toBe('true');
    // Masked metadata only: nowhere on the page, and the form field was emptied.
    expect(await page.content()).not.toContain(SECRET);
    expect(await page.getByLabel(/^SSH password/).inputValue()).toBe('');
    await checkPage(page, 'credentials');
    assertClean(422);
  });

  it('a reveal takes a ticket someone else approves, then shows the secret once', async () => {
    const { page, assertClean } = await tab('admin', ADMIN_PASSWORD);
    await navigate(page, '/credentials');
    await page.getByRole('button', { name: 'Request reveal of lab-password' }).click();
    const link = page.getByRole('link', { name: /^tkt_/ });
    await link.waitFor();
    expect(await page.getByText('Reveal waiting for approval').count()).toBe(1);
    const ticket = (await link.textContent())!;
    expect(await link.getAttribute('href')).toBe(`/inbox/${ticket}`);

    const approver = (await login(stack.server, 'approver', PASSWORD)).json.access_token;
    const decided = await api(
      'POST',
      `/approvals/inbox/${ticket}/decision`,
      { decision: 'approve', comment: 'for the rebuild' },
      approver,
    );
    expect(decided.status, decided.text).toBe(200);

    // The page notices the approval by itself.
    const view = page.getByRole('button', { name: 'View lab-password once' });
    await view.waitFor({ timeout: 20_000 });
    await view.click();
    const dialog = page.getByRole('dialog', { name: 'Credential lab-password' });
    await eventually(() => dialog.textContent()).toContain(SECRET);
    expect(await dialog.textContent()).toContain('will not show this again');
    await dialog.getByRole('button', { name: 'Done' }).click();
    await eventually(() => dialog.count()).toBe(0);
    expect(await page.content()).not.toContain(SECRET);
    // Used up: the page offers a new request, not a second look.
    await eventually(() => page.getByText(`Last reveal used: ${ticket}`).count()).toBe(1);
    expect(await page.getByRole('button', { name: 'View lab-password once' }).count()).toBe(0);
    assertClean();
  });

  it('an admin adds a host; a test without a runner pool is refused on its row', async () => {
    const { page, assertClean } = await tab('admin', ADMIN_PASSWORD);
    await navigate(page, '/hosts');
    await choose(page, 'Project', 'inv');
    await page.getByLabel('Host name').fill('lab-1');
    await page.getByLabel('Address', { exact: true }).fill('169.254.169.254');
    await page.getByLabel('Port').fill('2222');
    await page.getByLabel('User', { exact: true }).fill('deploy');
    await choose(page, 'Credential', 'lab-password');
    await page.getByRole('button', { name: 'Add host' }).click();
    // The metadata address is refused, on the address field.
    await eventually(() => invalid(page, /^Address/)).toBe('true');
    expect(await messageOf(page, /^Address/)).toMatch(/metadata|link-local/);
    await page.getByLabel('Address', { exact: true }).fill('127.0.0.1');
    await page.getByRole('button', { name: 'Add host' }).click();
    const table = page.getByRole('table', { name: 'Hosts' });
    await eventually(() => table.getByText('deploy@127.0.0.1:2222').count()).toBe(1);
    expect(await table.getByText('lab-password').count()).toBe(1);
    expect(await table.getByText(/not pinned yet/).count()).toBe(1);
    await page.getByRole('button', { name: 'Test connection to lab-1' }).click();
    await eventually(() => table.getByRole('alert').textContent()).toContain('NO_RUNNER_POOL');
    await checkPage(page, 'hosts');
    assertClean(422, 409);
  });

  it('a cluster import shows the refused field on it, with an example of each mode', async () => {
    const { page, assertClean } = await tab('admin', ADMIN_PASSWORD);
    await navigate(page, '/clusters');
    await choose(page, 'Project', 'inv');
    await page.getByLabel('Cluster name').fill('lab');
    await page.getByText('Token', { exact: true }).click();
    await eventually(() => page.getByRole('complementary', { name: 'Example: Token' }).count()).toBe(1);
    await page.getByLabel(/^API server/).fill('http://k8s.example.invalid:6443');
    await page.getByRole('button', { name: 'Import cluster' }).click();
    await eventually(() => invalid(page, /^API server/)).toBe('true');
    expect(await messageOf(page, /^API server/)).toContain('must use https://');
    await checkPage(page, 'clusters');
    assertClean(422);
  });

  it('a viewer sees the lists and is told which permission each action needs', async () => {
    const { page, assertClean } = await tab('viewer', PASSWORD);
    await navigate(page, '/credentials');
    await eventually(() => page.getByRole('cell', { name: 'lab-password', exact: true }).count()).toBe(1);
    expect(await page.getByText('Importing credentials needs credential:import.').count()).toBe(1);
    expect(await page.getByText('Reveal needs credential:reveal.').count()).toBe(1);
    expect(await page.getByRole('button', { name: /Request reveal/ }).count()).toBe(0);
    await navigate(page, '/hosts');
    await eventually(() => page.getByText('Adding hosts needs host:write.').count()).toBe(1);
    await eventually(() => page.getByText('Testing needs credential:test.').count()).toBe(1);
    expect(await page.getByRole('button', { name: /Test connection/ }).count()).toBe(0);
    assertClean();
  });

  it('each page has one h1, passes axe and works at both widths', async () => {
    for (const viewport of [WIDTHS.desktop, WIDTHS.phone]) {
      const { page, assertClean } = await tab('admin', ADMIN_PASSWORD, viewport);
      for (const name of ['credentials', 'hosts', 'clusters']) {
        await navigate(page, `/${name}`);
        await page.locator('h1').first().waitFor();
        // The lists as they are, not a loading page (no cluster was imported).
        if (name !== 'clusters') await page.locator('tbody tr').first().waitFor();
        await checkPage(page, name);
      }
      assertClean();
    }
  });
});
