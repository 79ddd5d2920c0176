import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Answer, login } from '../e2e/server-process';
import { type Stack, startStack } from '../e2e/stack';
import { Browsing, browserTestsAvailable, checkPage, ensureWebBuilt, navigate, WIDTHS } from './harness';

/**
 * Setting up from nothing in a real browser against the real `npm start` (no runner: nothing is
 * deployed, the pages' own forms are what is tested): project, environment, target and service,
 * until the Deploy page offers them.
 */
const available = browserTestsAvailable();

const USER = 'builder';
const PASSWORD = 'browser test password long enough';
const PROJECT = `setup-${process.pid}`;
// biome-ignore-start lint/suspicious/noTemplateCurlyInString: ${NAME} is the templates' own placeholder syntax
const COMPOSE = 'services:\n  api:\n    image: registry.internal/api:${TAG}\n    init: true\n';
const EDITED =
  'services:\n  api:\n    image: registry.internal/api:${TAG}\n    init: true\n    restart: always\n';
// biome-ignore-end lint/suspicious/noTemplateCurlyInString: ${NAME} is the templates' own placeholder syntax

describe.skipIf(!available)('setting up a project in a real browser', { timeout: 240_000 }, () => {
  let stack: Stack;
  const web = new Browsing();
  let origin = '';
  let token = '';
  const ids = {} as Record<'project' | 'environment' | 'target' | 'service', string>;

  /** Everything the pages created is read back with the user's own token. */
  const api = (method: string, path: string, body?: unknown): Promise<Answer> =>
    stack.api(method, path, body, token);

  const tab = (viewport = WIDTHS.desktop) => web.signedIn(USER, PASSWORD, viewport);

  /** Under load a lazily loaded page or an API answer can take longer than expect.poll's second. */
  const eventually = <T>(f: () => Promise<T>) => expect.poll(f, { timeout: 20_000, interval: 200 });

  async function choose(page: Page, label: string, option: string) {
    await page.getByRole('combobox', { name: label, exact: true }).click();
    await page.getByRole('option', { name: option, exact: true }).click();
    await eventually(() => page.getByRole('combobox', { name: label, exact: true }).inputValue()).toBe(
      option,
    );
  }

  /** Replaces the CodeMirror editor's text; inserted as one edit, so the editor does not re-indent it. */
  async function typeTemplate(page: Page, label: string, text: string) {
    const editor = page.getByRole('textbox', { name: label, exact: true });
    await editor.click();
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.press('Delete');
    await page.keyboard.insertText(text);
  }

  beforeAll(async () => {
    await ensureWebBuilt();
    stack = await startStack({}, { healthyWithinMs: 150_000 });
    origin = `http://127.0.0.1:${stack.server.port}`;
    // A new user the admin made, with the admin role on every project.
    expect((await stack.api('POST', '/users', { username: USER, password: PASSWORD })).status).toBe(201);
    const bound = await stack.api('POST', '/role-bindings', { username: USER, role: 'admin' });
    expect(bound.status, bound.text).toBe(201);
    token = (await login(stack.server, USER, PASSWORD)).json.access_token;
    await web.start(origin);
  }, 240_000);

  afterAll(async () => {
    await web.close();
    await stack?.stop();
  }, 60_000);

  it('creates a project, an environment, a target and a service through the pages; Deploy offers them', async () => {
    const { page, assertClean } = await tab();

    await navigate(page, '/projects');
    await page.getByLabel(/^Project name/).fill(PROJECT);
    await page.getByRole('button', { name: 'Create project' }).click();
    const projects = page.getByRole('table', { name: 'Projects' });
    await eventually(() => projects.getByRole('cell', { name: PROJECT, exact: true }).count()).toBe(1);
    const project = (await api('GET', '/projects')).json.items.find(
      (p: { name: string }) => p.name === PROJECT,
    );
    expect(project).toBeDefined();
    ids.project = project.id;

    // A compose target needs a host; hosts have their own page, tested elsewhere.
    const cred = await api('POST', '/credentials', {
      project_id: ids.project,
      name: 'lab-password',
      kind: 'ssh_password',
      payload: { password: 'not a real password at all' },
    });
    expect(cred.status, cred.text).toBe(201);
    const host = await api('POST', '/hosts', {
      project_id: ids.project,
      name: 'lab-1',
      address: '127.0.0.1',
      port: 2222,
      username: 'deploy',
      credential_id: cred.json.id,
    });
    expect(host.status, host.text).toBe(201);

    await navigate(page, '/environments');
    await page.getByRole('region', { name: 'New environment' }).waitFor();
    // The options come from /projects: wait for them before opening the dropdown.
    await choose(page, 'Project', PROJECT);
    await page.getByLabel('Environment name').fill('staging');
    await choose(page, 'Tier', 'staging');
    await page.getByRole('button', { name: 'Create environment' }).click();
    const envLink = page.getByRole('table', { name: 'Environments' }).getByRole('link', { name: 'staging' });
    await envLink.waitFor();
    const envs = (await api('GET', `/environments?project_id=${ids.project}`)).json.items;
    expect(envs.map((e: { name: string; tier: string }) => [e.name, e.tier])).toEqual([
      ['staging', 'staging'],
    ]);
    ids.environment = envs[0].id;
    await envLink.click();
    await page.waitForURL((u) => u.pathname === `/environments/${ids.environment}`);

    const newTarget = page.getByRole('region', { name: 'New target' });
    await newTarget.getByLabel('Target name').fill('staging-api');
    // The multi-select's own box takes the click (its hidden text field lies under it).
    await newTarget.getByLabel('Hosts', { exact: true }).click({ force: true });
    await page.getByRole('option', { name: 'lab-1 (127.0.0.1)' }).click();
    await page.keyboard.press('Escape');
    await newTarget.getByLabel(/^Compose project/).fill('staging-api');
    await page.getByRole('button', { name: 'Create target' }).click();
    const targetLink = page
      .getByRole('table', { name: 'Targets' })
      .getByRole('link', { name: 'staging-api' });
    await targetLink.waitFor();
    const targets = (await api('GET', `/deploy/targets?environment_id=${ids.environment}`)).json.items;
    expect(targets).toHaveLength(1);
    expect(targets[0]).toMatchObject({
      name: 'staging-api',
      runtime_type: 'compose',
      host_ids: [host.json.id],
      compose_project: 'staging-api',
    });
    ids.target = targets[0].id;

    await navigate(page, '/services');
    await page.getByRole('region', { name: 'New service' }).waitFor();
    await choose(page, 'Project', PROJECT);
    await page.getByLabel('Service name').fill('api');
    await typeTemplate(page, 'Template', COMPOSE);
    await page.getByRole('button', { name: 'Create service' }).click();
    await page.waitForURL(/\/services\/svc_|\/services\/[^/]+$/);
    ids.service = page.url().split('/').pop()!;
    await eventually(() => page.locator('h1').textContent()).toBe('Service api');
    expect((await api('GET', `/services/${ids.service}`)).json).toMatchObject({
      name: 'api',
      project_id: ids.project,
      compose_file: COMPOSE,
    });

    await typeTemplate(page, 'Compose file', EDITED);
    await page.getByLabel('Description').fill('the public API');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await eventually(() => page.getByText('Saved.').count()).toBe(1);
    expect((await api('GET', `/services/${ids.service}`)).json).toMatchObject({
      compose_file: EDITED,
      description: 'the public API',
    });

    await navigate(page, '/');
    await choose(page, 'Service', 'api');
    await choose(page, 'Target', 'staging-api · compose');
    // The template's own placeholder became a field to fill in.
    await eventually(() => page.getByLabel('TAG', { exact: true }).count()).toBe(1);
    assertClean();
  });

  it('each setup page has one h1, passes axe and does not scroll sideways at phone width', async () => {
    for (const viewport of [WIDTHS.desktop, WIDTHS.phone]) {
      const { page, assertClean } = await tab(viewport);
      for (const [name, path, ready] of [
        ['projects', '/projects', 'tbody tr'],
        ['environments', '/environments', 'tbody tr'],
        ['environment', `/environments/${ids.environment}`, 'tbody tr'],
        ['services', '/services', 'tbody tr'],
        ['service', `/services/${ids.service}`, '.cm-content'],
        ['target', `/targets/${ids.target}`, 'section'],
      ] as const) {
        await navigate(page, path);
        await page.locator('h1').first().waitFor();
        await page.locator(ready).first().waitFor();
        await checkPage(page, name);
        const wide = await page.evaluate(
          () =>
            (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document
              .documentElement.scrollWidth,
        );
        expect(wide, `${path} at ${viewport.width}`).toBeLessThanOrEqual(viewport.width);
      }
      assertClean();
    }
  });
});
