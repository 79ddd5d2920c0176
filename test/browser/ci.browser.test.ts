import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sign as githubSign } from '@octokit/webhooks-methods';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Answer } from '../e2e/server-process';
import { type Stack, startStack } from '../e2e/stack';
import { Browsing, browserTestsAvailable, checkPage, ensureWebBuilt, navigate, WIDTHS } from './harness';

/**
 * SPEC §7.2 in the SPA: a deployer adds a GitHub pipeline to a service on its page, copies the
 * secret shown once, and the builds GitHub reports appear by themselves, "status syncing" until
 * the provider gives a final state.
 */
const available = browserTestsAvailable();

const PASSWORD = 'browser test password long enough';
const fixture = (name: string) =>
  readFileSync(join(import.meta.dirname, '../../shared/ci/fixtures', `${name}.json`), 'utf8');

describe.skipIf(!available)('CI on the service page in a real browser', { timeout: 180_000 }, () => {
  let stack: Stack;
  const web = new Browsing();
  let origin = '';
  let serviceId = '';

  const api = async (method: string, path: string, body?: unknown): Promise<Answer> => {
    const a = await stack.api(method, path, body);
    expect(a.status, `${method} ${path}: ${a.text}`).toBeLessThan(300);
    return a;
  };
  /** A delivery as GitHub sends it: the raw JSON, signed with the pipeline's secret. */
  const deliver = async (url: string, secret: string, event: string, body: string) => {
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-github-event': event,
        'x-github-delivery': `${event}-${Math.random().toString(36).slice(2)}`,
        'x-hub-signature-256': await githubSign(secret, body),
      },
      body,
    });
    expect(res.status, await res.text()).toBe(200);
  };

  beforeAll(async () => {
    await ensureWebBuilt();
    stack = await startStack();
    origin = `http://127.0.0.1:${stack.server.port}`;
    const project = (await api('POST', '/projects', { name: 'shop' })).json.id;
    serviceId = (
      await api('POST', '/services', {
        project_id: project,
        name: 'web',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: a template placeholder, not a JS one
        compose_file: 'services:\n  web:\n    image: ${IMAGE}\n',
      })
    ).json.id;
    await api('POST', '/users', { username: 'builder', password: PASSWORD });
    await api('POST', '/role-bindings', { username: 'builder', role: 'deployer', project_id: project });
    await web.start(origin);
  }, 180_000);

  afterAll(async () => {
    await web.close();
    await stack?.stop();
  }, 60_000);

  async function tab(viewport = WIDTHS.desktop) {
    return web.signedIn('builder', PASSWORD, viewport);
  }

  it('adds a pipeline, shows its secret once, and follows its build to the end', async () => {
    const { page, assertClean } = await tab();
    await navigate(page, `/services/${serviceId}`);
    await page.getByRole('button', { name: 'Add pipeline' }).waitFor({ timeout: 30_000 });
    await page.getByLabel('Repository').fill('octo-org/web');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: an image template placeholder, not a JS one
    await page.getByLabel('Image').fill('registry.internal/web:${SHORT_SHA}-${RUN_NUMBER}');
    await page.getByRole('button', { name: 'Add pipeline' }).click();
    const secret = (await page.getByTestId('shown-once').textContent({ timeout: 30_000 })) ?? '';
    expect(secret.length).toBeGreaterThanOrEqual(40);
    const url = (await api('GET', `/ci/pipelines?service_id=${serviceId}`)).json.items[0]
      .webhook_url as string;
    expect(await page.getByRole('table', { name: 'Pipelines' }).textContent()).toContain(url);
    await checkPage(page, 'ci-pipeline-added');
    await page.getByRole('button', { name: 'Done' }).click();
    expect(await page.getByTestId('shown-once').count()).toBe(0);

    // The server reached the way a provider reaches it: its own origin, not the page's client.
    const hook = url.replace(/^https?:\/\/[^/]+/, origin);
    await deliver(hook, secret, 'push', fixture('github-push'));
    const row = page.getByTestId('build-row').first();
    await expect.poll(() => row.textContent(), { timeout: 30_000 }).toContain('status syncing');
    expect(await row.textContent()).toContain('6113728');
    await checkPage(page, 'ci-build-syncing');

    await deliver(hook, secret, 'workflow_run', fixture('github-workflow-run-completed'));
    await expect.poll(() => row.textContent(), { timeout: 30_000 }).toContain('succeeded');
    expect(await row.textContent()).not.toContain('status syncing');
    expect(await row.textContent()).toContain('registry.internal/web:6113728-562');
    assertClean();
  });

  it('shows the builds on a phone, without the add form for a viewer', async () => {
    const project = (await api('GET', `/services/${serviceId}`)).json.project_id;
    await api('POST', '/users', { username: 'looker', password: PASSWORD });
    await api('POST', '/role-bindings', { username: 'looker', role: 'viewer', project_id: project });
    const t = await web.signedIn('looker', PASSWORD, WIDTHS.phone);
    await navigate(t.page, `/services/${serviceId}`);
    await t.page.getByRole('table', { name: 'Builds' }).waitFor({ timeout: 30_000 });
    expect(await t.page.getByRole('button', { name: 'Add pipeline' }).count()).toBe(0);
    expect(await t.page.getByText('Adding pipelines needs ci:write.').count()).toBe(1);
    await checkPage(t.page, 'ci-builds');
    t.assertClean();
  });
});
