import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Answer, login } from '../e2e/server-process';
import { type Stack, startStack } from '../e2e/stack';
import { COMPOSE_LAB_PEERS, type ComposeLab, startComposeLab, WEB_COMPOSE } from '../peers/compose-lab';
import { projectImages } from '../peers/docker';
import { addMember, seedComposeStages } from '../support/ssh-host';
import { Browsing, browserTestsAvailable, checkPage, ensureWebBuilt, navigate, WIDTHS } from './harness';

/**
 * The SPA as people use it: Debian's Chromium driving the real `npm start` (embedded database),
 * a real runner process, sshd and a Docker engine with a registry. The pages reach the platform
 * only through the public API, as any client would.
 */
const available = browserTestsAvailable(COMPOSE_LAB_PEERS);

const PASSWORD = 'browser test password long enough';
const SECRET = `sk-web-${Math.random().toString(36).slice(2)}`;
const DEV_PROJECT = `spadev-${process.pid}`;
const PROD_PROJECT = `spaprod-${process.pid}`;

describe.skipIf(!available)('the web app in a real browser', { timeout: 240_000 }, () => {
  let lab: ComposeLab;
  let stack: Stack;
  const web = new Browsing();
  const ids = {} as Record<'project' | 'pool' | 'service' | 'devTarget' | 'prodTarget', string>;
  let origin = '';
  let appliedRelease = '';
  let prodTicket = '';

  const api = (method: string, path: string, body?: unknown, token?: string): Promise<Answer> =>
    stack.api(method, path, body, token);

  const tab = (user: string, viewport = WIDTHS.desktop) => web.signedIn(user, PASSWORD, viewport);

  async function choose(page: Page, label: string, option: string) {
    await page.getByRole('combobox', { name: label, exact: true }).click();
    await page.getByRole('option', { name: option }).click();
  }

  /** Fills the Deploy form and previews; the page then shows the diff, risk and checks. */
  async function previewOnPage(page: Page, target: string, tag: string) {
    await expect.poll(() => page.getByRole('button', { name: 'Preview' }).isDisabled()).toBe(true);
    await choose(page, 'Service', 'web');
    await choose(page, 'Target', target);
    await fillAndPreview(page, tag);
  }

  async function fillAndPreview(page: Page, tag: string) {
    await page.getByLabel('REGISTRY', { exact: true }).fill(lab.registry.address);
    await page.getByLabel('TAG', { exact: true }).fill(tag);
    await page.getByLabel('API_KEY', { exact: true }).fill(SECRET);
    await page.getByRole('button', { name: 'Preview' }).click();
    await page.getByRole('region', { name: 'Preview' }).waitFor();
  }

  const stateOf = (page: Page) => page.getByTestId('lifecycle-state').textContent();

  beforeAll(async () => {
    await ensureWebBuilt();
    lab = await startComposeLab({ tags: ['v1', 'v2'] });
    stack = await startStack();
    origin = `http://127.0.0.1:${stack.server.port}`;
    const s = await seedComposeStages(api, lab.sshd, {
      composeFile: WEB_COMPOSE,
      secretVariables: ['API_KEY'],
      composeProjects: { dev: DEV_PROJECT, prod: PROD_PROJECT },
    });
    Object.assign(ids, s);
    for (const role of ['deployer', 'approver', 'viewer'])
      await addMember(api, { username: role, password: PASSWORD, role, project: ids.project });
    await stack.startRunner(ids.pool, 'runner-web');
    await web.start(origin);
  }, 240_000);

  afterAll(async () => {
    await web.close();
    await stack?.stop();
    await lab?.stop();
  }, 120_000);

  it('a deployer previews and applies to development and watches it land', async () => {
    const { page, assertClean } = await tab('deployer');
    await expect.poll(() => page.locator('h1').textContent()).toBe('Deploy');
    await previewOnPage(page, 'dev-web · compose', 'v1');
    const preview = page.getByRole('region', { name: 'Preview' });
    await expect.poll(() => preview.getByLabel('Risk low').count()).toBe(1);
    // The secret is masked in the diff the page shows.
    await expect.poll(() => preview.textContent()).toContain('API_KEY: ***');
    // Only the field the user typed it into holds it: the preview the platform sent back does not.
    expect(await preview.textContent()).not.toContain(SECRET);
    await checkPage(page, 'deploy-preview');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/\/releases\/rel_/);
    appliedRelease = page.url().split('/').pop()!;
    // The release names what it deployed where, as the lists do, not by id.
    await expect
      .poll(() => page.getByRole('region', { name: 'Details' }).textContent())
      .toContain('Service web on target dev-web · compose');
    await expect.poll(() => stateOf(page), { timeout: 120_000, interval: 500 }).toBe('applied');
    expect(await projectImages(lab.engine.host, DEV_PROJECT)).toEqual([`${lab.registry.address}/web:v1`]);
    await expect
      .poll(() => page.getByRole('region', { name: 'Timeline' }).textContent())
      .toContain('release.applied');
    await checkPage(page, 'release');
    assertClean();
  });

  it("a production release waits; the approver approves it from the inbox; the deployer's page turns applied by itself", async () => {
    const deployer = await tab('deployer');
    await previewOnPage(deployer.page, 'prod-web · compose', 'v2');
    await deployer.page.getByRole('button', { name: 'Apply' }).click();
    await deployer.page.waitForURL(/\/releases\/rel_/);
    await expect.poll(() => stateOf(deployer.page)).toBe('pending approval');
    // Proof that nothing reloads the page from here on: the marker would be gone.
    await deployer.page.evaluate(() => {
      (globalThis as unknown as { marker: number }).marker = 42;
    });

    const approver = await tab('approver');
    await navigate(approver.page, '/inbox');
    const row = approver.page.getByRole('link', { name: /^tkt_/ }).first();
    await row.waitFor();
    prodTicket = (await row.textContent())!;
    await checkPage(approver.page, 'inbox');
    await row.click();
    await approver.page.getByRole('region', { name: 'What this approves' }).waitFor();
    // The approver sees why it rates its risk, not just the level.
    await expect
      .poll(() => approver.page.getByRole('list', { name: 'Risk reasons' }).textContent())
      .toContain('production');
    await checkPage(approver.page, 'ticket');
    await approver.page.getByLabel('Comment').fill('ship it');
    await approver.page.getByRole('button', { name: 'Approve' }).click();
    await expect.poll(() => approver.page.getByTestId('ticket-status').textContent()).toBe('approved');

    await expect.poll(() => stateOf(deployer.page), { timeout: 120_000, interval: 500 }).toBe('applied');
    expect(await deployer.page.evaluate(() => (globalThis as unknown as { marker?: number }).marker)).toBe(
      42,
    );
    expect(await projectImages(lab.engine.host, PROD_PROJECT)).toEqual([`${lab.registry.address}/web:v2`]);
    deployer.assertClean();
    approver.assertClean();
  });

  it('a viewer sees no Apply, the missing permission is named, and the API still refuses', async () => {
    const { page, assertClean } = await tab('viewer');
    await choose(page, 'Service', 'web');
    await choose(page, 'Target', 'dev-web · compose');
    expect(await page.getByRole('button', { name: 'Preview' }).isDisabled()).toBe(true);
    await expect.poll(() => page.getByText('missing permission deploy:release:apply').count()).toBe(1);
    await navigate(page, `/releases/${appliedRelease}`);
    await expect.poll(() => stateOf(page)).toBe('applied');
    expect(await page.getByRole('button', { name: 'Apply' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Rollback' }).count()).toBe(0);
    const token = (await login(stack.server, 'viewer', PASSWORD)).json.access_token;
    const refused = await api(
      'POST',
      '/deploy/releases/preview',
      {
        service_id: ids.service,
        target_id: ids.devTarget,
        variables: { REGISTRY: 'x', TAG: 'v1', API_KEY: 'x' },
      },
      token,
    );
    expect(refused.status).toBe(403);
    expect(refused.json.error.message).toContain('deploy:release:apply');
    assertClean();
  });

  it('sends a signed-out visitor to sign in and back to the page they asked for', async () => {
    const t = await web.tab();
    await t.page.goto(`/releases/${appliedRelease}`);
    await t.page.waitForURL(/\/login\?next=/);
    await checkPage(t.page, 'login');
    await t.page.getByLabel('Username').fill('deployer');
    await t.page.getByLabel(/^Password/).fill(PASSWORD);
    await t.page.getByRole('button', { name: 'Sign in' }).click();
    await t.page.waitForURL((u) => u.pathname === `/releases/${appliedRelease}`);
    await expect.poll(() => stateOf(t.page)).toBe('applied');
    t.assertClean();
  });

  it('every page has one h1, passes axe and works at phone width', async () => {
    for (const viewport of [WIDTHS.desktop, WIDTHS.phone]) {
      const { page, assertClean } = await tab('approver', viewport);
      for (const [name, path] of [
        ['deploy', '/'],
        ['releases', '/releases'],
        ['release', `/releases/${appliedRelease}`],
        ['inbox', '/inbox?view=all'],
        ['ticket', `/inbox/${prodTicket}`],
      ] as const) {
        await navigate(page, path);
        await page.locator('h1').first().waitFor();
        if (name === 'releases')
          await expect
            .poll(() => page.getByRole('table', { name: 'Releases' }).textContent())
            .toContain('web on dev-web');
        await checkPage(page, name);
      }
      assertClean();
    }
  });
  it("a release of a tag the registry lacks fails; its page shows the host's own error, without a reload", async () => {
    const { page, assertClean } = await tab('deployer');
    // The target's applied values come late: until they are in, the fields take no typing, so
    // nothing typed lands beside a value filled in afterwards (it once made REGISTRY
    // "addraddr", an image reference the engine refused).
    let release = () => {};
    const held = new Promise<void>((r) => {
      release = r;
    });
    await page.route('**/services/*/variables*', async (route) => {
      await held;
      await route.continue();
    });
    await expect.poll(() => page.getByRole('button', { name: 'Preview' }).isDisabled()).toBe(true);
    await choose(page, 'Service', 'web');
    await choose(page, 'Target', 'dev-web · compose');
    await expect.poll(() => page.getByLabel('TAG', { exact: true }).isDisabled()).toBe(true);
    release();
    await expect.poll(() => page.getByLabel('TAG', { exact: true }).inputValue()).toBe('v1');
    await fillAndPreview(page, 'no-such-tag');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/\/releases\/rel_/);
    const failedRelease = page.url().split('/').pop()!;
    await page.evaluate(() => {
      (globalThis as unknown as { marker: number }).marker = 7;
    });
    await expect.poll(() => stateOf(page), { timeout: 120_000, interval: 500 }).toBe('failed');
    // What the engine said about the pull, shown as the failure itself, not inside the raw payload.
    const said = page.getByTestId('diagnostic-host-output');
    await expect.poll(() => said.isVisible(), { timeout: 20_000 }).toBe(true);
    const text = (await said.textContent()) ?? '';
    expect(text).toMatch(/manifest unknown|not found/i);
    expect(text).toContain('no-such-tag');
    expect(await page.getByTestId('diagnostic-step').isVisible()).toBe(true);
    expect(await page.getByTestId('diagnostic-error').textContent()).toMatch(/^[A-Z_]+$/);
    expect(await page.evaluate(() => (globalThis as unknown as { marker?: number }).marker)).toBe(7);
    // The page shows what the API recorded.
    const diag = (await api('GET', `/deploy/releases/${failedRelease}`)).json.diagnostics_json;
    const failedHost = diag.hosts.find((h: { failed_step?: string }) => h.failed_step);
    expect(text).toContain(failedHost.stderr_tail.trim().split('\n').pop());
    expect(await page.content()).not.toContain(SECRET);
    // The dev target still runs the image the failed release did not replace.
    expect(await projectImages(lab.engine.host, DEV_PROJECT)).toEqual([`${lab.registry.address}/web:v1`]);
    await checkPage(page, 'release-failed');
    assertClean();
  });
});
