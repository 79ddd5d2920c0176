import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Answer } from '../e2e/server-process';
import { type Stack, startStack } from '../e2e/stack';
import { registerSecret } from '../support/leak-guard';
import { Browsing, browserTestsAvailable, checkPage, ensureWebBuilt, navigate, WIDTHS } from './harness';

/**
 * SPEC §7.4 in the SPA: why a job waits, in words. The real `npm start` alone (no runner, no
 * peers): a release applied to an environment without a runner pool waits, and /jobs says why.
 */
const available = browserTestsAvailable();

const PASSWORD = 'browser test password long enough';
const COMPOSE = `services:
  web:
    image: 127.0.0.1:5000/web:\${TAG}
    environment:
      API_KEY: \${API_KEY}
`;

describe.skipIf(!available)('the jobs pages in a real browser', { timeout: 180_000 }, () => {
  let stack: Stack;
  const web = new Browsing();
  let origin = '';
  let jobId = '';

  const api = async (method: string, path: string, body?: unknown): Promise<Answer> => {
    const a = await stack.api(method, path, body);
    expect(a.status, `${method} ${path}: ${a.text}`).toBeLessThan(300);
    return a;
  };

  const tab = (viewport = WIDTHS.desktop) => web.signedIn('watcher', PASSWORD, viewport);

  beforeAll(async () => {
    await ensureWebBuilt();
    stack = await startStack();
    origin = `http://127.0.0.1:${stack.server.port}`;
    const project = (await api('POST', '/projects', { name: 'shop' })).json.id;
    // No runner_pool_id: the environment has no pool, so its jobs cannot run anywhere.
    const env = (
      await api('POST', '/environments', { project_id: project, name: 'dev', tier: 'development' })
    ).json.id;
    const cred = await api('POST', '/credentials', {
      project_id: project,
      name: 'deploy-pw',
      kind: 'ssh_password',
      payload: { password: registerSecret(`pw-${Math.random().toString(36).slice(2)}`) },
    });
    const host = await api('POST', '/hosts', {
      project_id: project,
      name: 'lab-1',
      address: '10.0.0.5',
      port: 22,
      username: 'deploy',
      credential_id: cred.json.id,
    });
    const target = await api('POST', '/deploy/targets', {
      project_id: project,
      environment_id: env,
      name: 'dev-web',
      runtime_type: 'compose',
      host_ids: [host.json.id],
      compose_project: 'web',
    });
    const service = await api('POST', '/services', {
      project_id: project,
      name: 'web',
      compose_file: COMPOSE,
      secret_variables: ['API_KEY'],
    });
    const preview = await api('POST', '/deploy/releases/preview', {
      service_id: service.json.id,
      target_id: target.json.id,
      variables: { TAG: 'v1', API_KEY: registerSecret(`sk-jobs-${Math.random().toString(36).slice(2)}`) },
    });
    await api('POST', '/deploy/releases/apply', { preview_ref: preview.json.preview_ref });
    const jobs = await api('GET', `/jobs?project_id=${project}`);
    jobId = jobs.json.items[0].id;
    await api('POST', '/users', { username: 'watcher', password: PASSWORD });
    await api('POST', '/role-bindings', { username: 'watcher', role: 'viewer', project_id: project });
    await web.start(origin);
  }, 180_000);

  afterAll(async () => {
    await web.close();
    await stack?.stop();
  }, 60_000);

  for (const [width, viewport] of Object.entries(WIDTHS))
    it(`shows on /jobs that the job waits for a runner pool (${width})`, async () => {
      const { page, assertClean } = await tab(viewport);
      await navigate(page, '/jobs');
      // Under load the page's chunk can take a while; the previous page stays until it comes.
      await expect.poll(() => page.locator('h1').textContent(), { timeout: 30_000 }).toBe('Jobs');
      const reason = page.getByTestId('waiting-reason').first();
      await reason.waitFor({ timeout: 30_000 });
      expect(await reason.textContent()).toBe('Environment has no runner pool');
      expect(await page.getByRole('table', { name: 'Jobs' }).textContent()).toContain('release_apply');
      await checkPage(page, 'jobs');
      // The job's own page says the same.
      await page.getByRole('link', { name: jobId }).click();
      await page.waitForURL(`**/jobs/${jobId}`);
      await expect
        .poll(() => page.getByTestId('waiting-reason').textContent())
        .toBe('Environment has no runner pool');
      await checkPage(page, 'job');
      assertClean();
    });
});
