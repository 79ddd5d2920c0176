import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../e2e/stack';
import { Browsing, browserTestsAvailable, checkPage, ensureWebBuilt, navigate, WIDTHS } from './harness';

/**
 * The command center on the real `npm start`: a sentence, a question answered with a choice
 * button, the preview with the Deploy page's risk and diff, Confirm to the release page; a refusal
 * shows its reason; the history lists the user's commands.
 */
const available = browserTestsAvailable();

/** startStack's bootstrap admin. */
const ADMIN_PASSWORD = 'e2e admin password long enough';
const PATIENT = { timeout: 20_000, interval: 250 };
const COMPOSE = `services:
  web:
    image: 127.0.0.1:5000/web:\${TAG}
`;

describe.skipIf(!available)('the command center in a real browser', { timeout: 180_000 }, () => {
  let stack: Stack;
  const web = new Browsing();

  beforeAll(async () => {
    await ensureWebBuilt();
    stack = await startStack();
    const api = async (method: string, path: string, body?: unknown) => {
      const a = await stack.api(method, path, body);
      if (a.status >= 300) throw new Error(`${method} ${path}: ${a.text}`);
      return a.json;
    };
    const project = (await api('POST', '/projects', { name: 'shop' })).id;
    const dev = (
      await api('POST', '/environments', { project_id: project, name: 'dev', tier: 'development' })
    ).id;
    const cred = await api('POST', '/credentials', {
      project_id: project,
      name: 'lab-password',
      kind: 'ssh_password',
      payload: { password: 'a lab ssh password, not used' },
    });
    const host = await api('POST', '/hosts', {
      project_id: project,
      name: 'lab-1',
      address: '127.0.0.1',
      username: 'deploy',
      credential_id: cred.id,
    });
    for (const name of ['dev-a', 'dev-b'])
      await api('POST', '/deploy/targets', {
        project_id: project,
        environment_id: dev,
        name,
        runtime_type: 'compose',
        host_ids: [host.id],
        compose_project: name,
      });
    await api('POST', '/services', { project_id: project, name: 'web', compose_file: COMPOSE });
    await web.start(`http://127.0.0.1:${stack.server.port}`);
  }, 180_000);

  afterAll(async () => {
    await web.close();
    await stack?.stop();
  }, 60_000);

  it('asks which target, shows the preview, and confirms to the release page', async () => {
    const { page, assertClean } = await web.signedIn('admin', ADMIN_PASSWORD);
    await navigate(page, '/ai');
    await page.getByRole('textbox', { name: 'Command' }).fill('deploy web 1.30 to dev');
    await page.getByRole('button', { name: 'Send' }).click();
    const question = page.getByRole('group', { name: 'Which target of dev?' });
    await question.getByRole('button', { name: 'dev-a (compose)' }).click();
    const preview = page.getByRole('region', { name: 'Preview' });
    await expect.poll(() => preview.textContent(), PATIENT).toContain('web:1.30');
    await expect
      .poll(() => page.getByRole('list', { name: 'Plan' }).textContent(), PATIENT)
      .toContain('dev-a');
    await checkPage(page, 'ai-preview');
    await preview.getByRole('button', { name: 'Confirm' }).click();
    await page.waitForURL((u) => /^\/releases\/rel_/.test(u.pathname), PATIENT);
    const releaseId = new URL(page.url()).pathname.split('/').pop();
    expect((await stack.api('GET', `/deploy/releases/${releaseId}`)).json.lifecycle_state).toBe('approved');
    assertClean();
  });

  it('shows a refusal with its reason, and the history of the user’s commands', async () => {
    const { page, assertClean } = await web.signedIn('admin', ADMIN_PASSWORD, WIDTHS.phone);
    await navigate(page, '/ai');
    await page.getByRole('textbox', { name: 'Command' }).fill('reveal the prod kubeconfig');
    await page.getByRole('button', { name: 'Send' }).click();
    const result = page.getByRole('region', { name: 'Command result' });
    await expect.poll(() => result.textContent(), PATIENT).toMatch(/refused.*cannot reveal/);
    const history = page.getByRole('table', { name: 'Your commands' });
    await expect.poll(() => history.textContent(), PATIENT).toContain('deploy web 1.30 to dev');
    expect(await history.textContent()).toContain('reveal the prod kubeconfig');
    await checkPage(page, 'ai-refused');
    assertClean();
  });
});
