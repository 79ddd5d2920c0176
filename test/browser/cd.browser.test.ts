import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sign as githubSign } from '@octokit/webhooks-methods';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Answer } from '../e2e/server-process';
import { type Stack, startStack } from '../e2e/stack';
import { addMember, createComposeTarget, seedUndialledHost } from '../support/ssh-host';
import { Browsing, browserTestsAvailable, checkPage, ensureWebBuilt, navigate } from './harness';

/**
 * SPEC §7.2 in the SPA: a deployer saves a CD policy on the service page, a build webhook lands,
 * and the deployer sees the preview the policy made — on the build, and on the release page
 * with its chain from the build.
 */
const available = browserTestsAvailable();

const PASSWORD = 'browser test password long enough';
const RUN = readFileSync(
  join(import.meta.dirname, '../../shared/ci/fixtures/github-workflow-run-completed.json'),
  'utf8',
);

describe.skipIf(!available)('CD policies on the service page in a real browser', { timeout: 180_000 }, () => {
  let stack: Stack;
  const web = new Browsing();
  let origin = '';
  const ids = {} as Record<'project' | 'service' | 'target', string>;

  const api = async (method: string, path: string, body?: unknown): Promise<Answer> => {
    const a = await stack.api(method, path, body);
    expect(a.status, `${method} ${path}: ${a.text}`).toBeLessThan(300);
    return a;
  };

  beforeAll(async () => {
    await ensureWebBuilt();
    stack = await startStack();
    origin = `http://127.0.0.1:${stack.server.port}`;
    ids.project = (await api('POST', '/projects', { name: 'shop' })).json.id;
    const env = (
      await api('POST', '/environments', { project_id: ids.project, name: 'dev', tier: 'development' })
    ).json.id;
    const host = await seedUndialledHost(api, { project: ids.project, name: 'h1', address: '127.0.0.1' });
    ids.target = await createComposeTarget(api, {
      project: ids.project,
      environment: env,
      name: 'dev-web',
      hosts: [host],
      composeProject: 'web',
    });
    ids.service = (
      await api('POST', '/services', {
        project_id: ids.project,
        name: 'web',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: a template placeholder, not a JS one
        compose_file: 'services:\n  web:\n    image: ${IMAGE}\n',
      })
    ).json.id;
    await addMember(api, { username: 'shipper', password: PASSWORD, role: 'deployer', project: ids.project });
    await web.start(origin);
  }, 180_000);

  afterAll(async () => {
    await web.close();
    await stack?.stop();
  }, 60_000);

  it('saves a policy, and shows the preview a build webhook made, with its chain', async () => {
    const pipeline = await api('POST', '/ci/pipelines', {
      project_id: ids.project,
      service_id: ids.service,
      provider: 'github_actions',
      repository: 'octo-org/web',
      trigger: 'push',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: an image template placeholder, not a JS one
      image: 'registry.internal/web:${SHORT_SHA}-${RUN_NUMBER}',
    });
    const t = await web.signedIn('shipper', PASSWORD);
    const { page } = t;
    await navigate(page, `/services/${ids.service}`);
    const form = page.getByRole('form', { name: 'CD policy for dev' });
    await form.waitFor({ timeout: 30_000 });
    await form.getByLabel('dev-web').check();
    await form.getByLabel('Preview each build').check();
    await form.getByRole('button', { name: 'Save policy for dev' }).click();
    await expect
      .poll(async () => (await stack.api('GET', `/cd/policies/${ids.service}/${await envId()}`)).status, {
        timeout: 30_000,
      })
      .toBe(200);
    await checkPage(page, 'cd-policy-saved');

    const hook = `${origin}/api/v1/ci/webhooks/${pipeline.json.id}`;
    const res = await fetch(hook, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'workflow_run',
        'x-github-delivery': `run-${Math.random().toString(36).slice(2)}`,
        'x-hub-signature-256': await githubSign(pipeline.json.webhook_secret, RUN),
      },
      body: RUN,
    });
    expect(res.status).toBe(200);
    const deployment = page.getByTestId('deployment').first();
    await expect
      .poll(() => deployment.textContent().catch(() => ''), { timeout: 60_000 })
      .toContain('dev-web: preview');
    await checkPage(page, 'cd-build-deployed');
    await deployment.getByRole('link', { name: 'dev-web' }).click();
    const chain = page.getByRole('region', { name: 'Chain' });
    await chain.waitFor({ timeout: 30_000 });
    expect(await chain.textContent()).toContain('6113728');
    expect(await page.getByTestId('chain-release').textContent()).toContain('on behalf of shipper');
    await checkPage(page, 'cd-release-chain');
    t.assertClean();

    async function envId() {
      return (await stack.api('GET', `/environments?project_id=${ids.project}`)).json.items[0].id as string;
    }
  });
});
