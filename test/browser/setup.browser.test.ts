import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../e2e/stack';
import {
  checkPage,
  chromiumAvailable,
  ensureWebBuilt,
  launch,
  navigate,
  openTab,
  signIn,
  type Tab,
  WIDTHS,
} from './harness';

/**
 * A new team sets up what the Deploy page needs through the web app alone, on the real `npm start`:
 * a project, an environment, a service with its template, and a target on the environment.
 */
const available = chromiumAvailable();
if (process.env.CI === 'true' && !available) throw new Error('CI=true but Chromium is missing');

const ADMIN_PASSWORD = 'e2e admin password long enough';

describe.skipIf(!available)('setting up a project in the web app', { timeout: 180_000 }, () => {
  let stack: Stack;
  let browser: Browser;
  const tabs: Tab[] = [];

  async function choose(page: Page, label: string, option: string) {
    await page.getByRole('textbox', { name: label, exact: true }).click();
    await page.getByRole('option', { name: option }).click();
  }

  beforeAll(async () => {
    await ensureWebBuilt();
    stack = await startStack();
    browser = await launch();
  }, 180_000);

  afterAll(async () => {
    for (const t of tabs) await t.context.close().catch(() => {});
    await browser?.close();
    await stack?.stop();
  }, 60_000);

  it('creates a project, an environment, a service and a target, and Deploy offers them', async () => {
    const tab = await openTab(browser, `http://127.0.0.1:${stack.server.port}`);
    tabs.push(tab);
    const { page } = tab;
    await signIn(page, 'admin', ADMIN_PASSWORD);

    await navigate(page, '/projects');
    const project = page.getByRole('region', { name: 'New project' });
    // The API's refusal shows on the field it names.
    await project.getByLabel('Project name').fill('Shop!');
    await project.getByRole('button', { name: 'Create project' }).click();
    await project.getByText('1-63 characters: lowercase letters, digits, "-"').waitFor();
    await project.getByLabel('Project name').fill('shop');
    await project.getByRole('button', { name: 'Create project' }).click();
    await expect.poll(() => page.getByRole('table', { name: 'Projects' }).textContent()).toContain('shop');
    await checkPage(page, 'projects');
    const projectId = (await stack.api('GET', '/projects')).json.items[0].id as string;

    await navigate(page, '/environments');
    const env = page.getByRole('region', { name: 'New environment' });
    await choose(page, 'Project', 'shop');
    await env.getByLabel('Environment name').fill('dev');
    await env.getByRole('button', { name: 'Create environment' }).click();
    await expect.poll(() => page.getByRole('table', { name: 'Environments' }).textContent()).toContain('dev');
    await checkPage(page, 'environments');

    await navigate(page, '/services');
    const svc = page.getByRole('region', { name: 'New service' });
    await choose(page, 'Project', 'shop');
    await svc.getByLabel('Service name').fill('web');
    await svc.getByLabel('Secret variables').fill('API_KEY');
    await svc.getByLabel('Secret variables').press('Enter');
    await svc.getByLabel('Description').fill('The storefront');
    await checkPage(page, 'services');
    await svc.getByRole('button', { name: 'Create service' }).click();
    await page.waitForURL(/\/services\/svc_/);
    await expect.poll(() => page.locator('h1').textContent()).toBe('Service web');
    await checkPage(page, 'service');
    const service = (await stack.api('GET', '/services')).json.items[0];
    expect(service).toMatchObject({
      name: 'web',
      secret_variables: ['API_KEY'],
      description: 'The storefront',
    });
    expect(service.compose_file).toMatch(/\$\{TAG\}/);

    // Hosts and credentials get their pages later; the API makes the one host the target needs.
    const cred = await stack.api('POST', '/credentials', {
      project_id: projectId,
      name: 'pw',
      kind: 'ssh_password',
      payload: { password: 'a host password long enough' },
    });
    await stack.api('POST', '/hosts', {
      project_id: projectId,
      name: 'web-1',
      address: '127.0.0.1',
      port: 22,
      username: 'deploy',
      credential_id: cred.json.id,
    });
    const envId = (await stack.api('GET', '/environments')).json.items[0].id as string;
    await navigate(page, `/environments/${envId}`);
    const target = page.getByRole('region', { name: 'New target' });
    await target.getByLabel('Target name').fill('dev-web');
    await page.getByRole('textbox', { name: 'Hosts' }).click();
    await page.getByRole('option', { name: /web-1/ }).click();
    await target.getByLabel('Compose project').fill('web');
    await target.getByRole('button', { name: 'Create target' }).click();
    await expect.poll(() => page.getByRole('table', { name: 'Targets' }).textContent()).toContain('dev-web');
    await checkPage(page, 'environment');
    await page.getByRole('link', { name: 'dev-web' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Target dev-web');
    await checkPage(page, 'target');

    await navigate(page, '/');
    await choose(page, 'Service', 'web');
    await choose(page, 'Target', 'dev-web · compose');
    await expect.poll(() => page.getByRole('button', { name: 'Preview' }).isDisabled()).toBe(false);
    await expect.poll(() => page.getByLabel('TAG', { exact: true }).count()).toBe(1);
    tab.assertClean();
  });

  it('the setup pages work at phone width', async () => {
    const tab = await openTab(browser, `http://127.0.0.1:${stack.server.port}`, WIDTHS.phone);
    tabs.push(tab);
    await signIn(tab.page, 'admin', ADMIN_PASSWORD);
    for (const [name, path] of [
      ['projects', '/projects'],
      ['environments', '/environments'],
      ['services', '/services'],
    ] as const) {
      await navigate(tab.page, path);
      await tab.page.locator('h1').waitFor();
      await checkPage(tab.page, name);
    }
    tab.assertClean();
  });
});
