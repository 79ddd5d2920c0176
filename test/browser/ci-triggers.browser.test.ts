import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Answer } from '../e2e/server-process';
import { type Stack, startStack } from '../e2e/stack';
import { Browsing, browserTestsAvailable, checkPage, ensureWebBuilt, navigate, WIDTHS } from './harness';

/**
 * SPEC §7.2 in the SPA: an operator imports a CI provider token from the credentials page, and on
 * the service page a manual pipeline's "Run now" calls the provider (a loopback server standing in
 * for GitHub's API) and shows what it answered; a schedule shows when it fires next.
 */
const available = browserTestsAvailable();

const PASSWORD = 'browser test password long enough';
const TOKEN = 'ghp_browser-trigger-token-0123456789';

describe.skipIf(!available)('CI triggers in a real browser', { timeout: 180_000 }, () => {
  let stack: Stack;
  let provider: Server;
  let apiOrigin = '';
  const seen: { path: string; headers: IncomingHttpHeaders; body: string }[] = [];
  const web = new Browsing();
  let origin = '';
  let projectId = '';
  let serviceId = '';

  const api = async (method: string, path: string, body?: unknown): Promise<Answer> => {
    const a = await stack.api(method, path, body);
    expect(a.status, `${method} ${path}: ${a.text}`).toBeLessThan(300);
    return a;
  };
  const choose = async (page: Page, label: string, option: string) => {
    await page.getByRole('combobox', { name: label, exact: true }).click();
    await page.getByRole('option', { name: option, exact: true }).click();
  };
  const eventually = <T>(f: () => Promise<T>) => expect.poll(f, { timeout: 30_000, interval: 200 });

  beforeAll(async () => {
    provider = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        seen.push({ path: req.url ?? '', headers: req.headers, body });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => provider.listen(0, '127.0.0.1', r));
    apiOrigin = `http://127.0.0.1:${(provider.address() as AddressInfo).port}`;
    await ensureWebBuilt();
    stack = await startStack();
    origin = `http://127.0.0.1:${stack.server.port}`;
    projectId = (await api('POST', '/projects', { name: 'trig' })).json.id;
    serviceId = (
      await api('POST', '/services', {
        project_id: projectId,
        name: 'web',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: a template placeholder, not a JS one
        compose_file: 'services:\n  web:\n    image: ${IMAGE}\n',
      })
    ).json.id;
    await api('POST', '/users', { username: 'operator', password: PASSWORD });
    await api('POST', '/role-bindings', { username: 'operator', role: 'admin', project_id: projectId });
    await web.start(origin);
  }, 180_000);

  afterAll(async () => {
    await web.close();
    await stack?.stop();
    await new Promise((r) => provider?.close(r));
  }, 60_000);

  async function tab(viewport = WIDTHS.desktop) {
    return web.signedIn('operator', PASSWORD, viewport);
  }

  it('imports a CI provider token, runs a manual pipeline with it, and shows the provider’s answer', async () => {
    const { page, assertClean } = await tab();
    await navigate(page, '/credentials');
    await choose(page, 'Project', 'trig');
    await page.getByLabel('Credential name').fill('github');
    await choose(page, 'Kind', 'CI provider token');
    await page.getByLabel(/^Token/).fill(TOKEN);
    await page.getByLabel(/^API origin/).fill(apiOrigin);
    await page.getByRole('button', { name: 'Import credential' }).click();
    const table = page.getByRole('table', { name: 'Credentials' });
    await eventually(() => table.getByRole('cell', { name: 'github', exact: true }).count()).toBe(1);
    expect(await page.content()).not.toContain(TOKEN);
    await checkPage(page, 'ci-provider-credential');

    const credential = (await api('GET', `/credentials?project_id=${projectId}&kind=ci_provider`)).json
      .items[0].id;
    const base = {
      project_id: projectId,
      service_id: serviceId,
      provider: 'github_actions',
      branch_filter: 'main',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: an image template placeholder
      image: 'registry.internal/web:${SHORT_SHA}',
    };
    await api('POST', '/ci/pipelines', {
      ...base,
      repository: 'octo-org/web',
      trigger: 'manual',
      provider_api_url: apiOrigin,
      provider_job: 'deploy.yml',
      provider_credential_id: credential,
    });
    await api('POST', '/ci/pipelines', {
      ...base,
      repository: 'octo-org/nightly',
      trigger: 'schedule',
      schedule: '0 3 * * *',
    });

    await navigate(page, `/services/${serviceId}`);
    await page.getByRole('button', { name: 'Run now octo-org/web' }).click();
    const result = page.getByTestId('trigger-result');
    await eventually(() => result.textContent()).toContain('the provider answered 204');
    expect(await result.textContent()).toContain('succeeded');
    expect(seen).toHaveLength(1);
    expect(seen[0]?.path).toBe('/repos/octo-org/web/actions/workflows/deploy.yml/dispatches');
    expect(seen[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(JSON.parse(seen[0]?.body ?? '')).toEqual({ ref: 'main' });
    // Only manual pipelines are run by hand; the schedule says when it fires.
    expect(await page.getByRole('button', { name: 'Run now octo-org/nightly' }).count()).toBe(0);
    expect(await page.getByTestId('next-fire').textContent()).toMatch(/^next: /);
    expect(await page.content()).not.toContain(TOKEN);

    // A schedule that is not a cron is refused on its field.
    await choose(page, 'Trigger', 'Schedule');
    await page.getByLabel('Repository').fill('octo-org/web');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: an image template placeholder
    await page.getByLabel('Image').fill('registry.internal/web:${SHORT_SHA}');
    await page.getByLabel(/^Schedule/).fill('every day');
    await page.getByRole('button', { name: 'Add pipeline' }).click();
    await eventually(() => page.getByLabel(/^Schedule/).getAttribute('aria-invalid')).toBe('true');
    await checkPage(page, 'ci-run-now');
    assertClean(422);
  });
});
