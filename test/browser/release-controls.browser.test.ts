import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Answer, login } from '../e2e/server-process';
import { type Stack, startStack } from '../e2e/stack';
import { addMember, createComposeTarget, seedPool, seedUndialledHost } from '../support/ssh-host';
import { Browsing, browserTestsAvailable, checkPage, ensureWebBuilt, navigate } from './harness';

/**
 * Correcting course from the SPA (SPEC §7.0): cancelling a release that waits for approval and
 * deleting a service, refused while a release of it is in flight. A production release waits for
 * its approval before any job exists, so neither a runner nor an SSH host is needed here: the host
 * is only a row a target names.
 */
const available = browserTestsAvailable();

const PASSWORD = 'browser test password long enough';
const COMPOSE = `services:
  web:
    image: registry.invalid/web:\${TAG}
`;

describe.skipIf(!available)('release controls in a real browser', { timeout: 180_000 }, () => {
  let stack: Stack;
  const web = new Browsing();
  const ids = {} as Record<'project' | 'service' | 'prodTarget', string>;
  let origin = '';
  let deployerToken = '';

  const api = (method: string, path: string, body?: unknown, token?: string): Promise<Answer> =>
    stack.api(method, path, body, token);

  /** A production release of the service, applied by the deployer: it waits for approval. */
  async function pendingRelease(tag: string) {
    const pv = await api(
      'POST',
      '/deploy/releases/preview',
      { service_id: ids.service, target_id: ids.prodTarget, variables: { TAG: tag } },
      deployerToken,
    );
    expect(pv.status, pv.text).toBe(201);
    const ap = await api(
      'POST',
      '/deploy/releases/apply',
      { preview_ref: pv.json.preview_ref },
      deployerToken,
    );
    expect(ap.json.lifecycle_state, ap.text).toBe('pending_approval');
    return ap.json.id as string;
  }

  const tab = (user: string) => web.signedIn(user, PASSWORD);

  beforeAll(async () => {
    await ensureWebBuilt();
    stack = await startStack();
    origin = `http://127.0.0.1:${stack.server.port}`;
    const s = await seedPool(api, { project: 'shop', pool: 'lab', envs: { prod: 'production' } });
    ids.project = s.project;
    const host = await seedUndialledHost(api, { project: ids.project, name: 'lab-1', address: '10.0.0.5' });
    ids.prodTarget = await createComposeTarget(api, {
      project: ids.project,
      environment: s.envs.prod,
      name: 'prod-web',
      hosts: [host],
      composeProject: 'web',
    });
    ids.service = (
      await api('POST', '/services', { project_id: ids.project, name: 'web', compose_file: COMPOSE })
    ).json.id;
    await addMember(api, {
      username: 'deployer',
      password: PASSWORD,
      role: 'deployer',
      project: ids.project,
    });
    deployerToken = (await login(stack.server, 'deployer', PASSWORD)).json.access_token;
    await web.start(origin);
  }, 180_000);

  afterAll(async () => {
    await web.close();
    await stack?.stop();
  }, 60_000);

  it('a production release waiting for approval is cancelled from its page and shows cancelled without reload', async () => {
    const id = await pendingRelease('v1');
    const { page, assertClean } = await tab('deployer');
    await navigate(page, `/releases/${id}`);
    const state = () => page.getByTestId('lifecycle-state').textContent();
    await expect.poll(state).toBe('pending approval');
    await page.evaluate(() => {
      (globalThis as unknown as { marker: number }).marker = 42;
    });

    // The masked revision, folded until asked for.
    await page.getByRole('button', { name: 'Show the masked revision' }).click();
    await expect
      .poll(() => page.getByTestId('masked-revision').textContent())
      .toContain('registry.invalid/web');
    await checkPage(page, 'release-pending');

    await page.getByRole('button', { name: 'Cancel release' }).click();
    await expect.poll(state).toBe('cancelled');
    expect(await page.getByRole('button', { name: 'Cancel release' }).count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as unknown as { marker?: number }).marker)).toBe(42);
    await expect
      .poll(() => page.getByRole('region', { name: 'Timeline' }).textContent())
      .toContain('release.cancelled');
    expect((await api('GET', `/deploy/releases/${id}`)).json.lifecycle_state).toBe('cancelled');
    await checkPage(page, 'release-cancelled');
    assertClean();
  });

  it('the service Delete is refused with IN_USE naming the release in flight', async () => {
    const id = await pendingRelease('v2');
    const { page, problems, assertClean } = await tab('deployer');
    await navigate(page, `/services/${ids.service}`);
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete service web?' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Delete service' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'Not deleted' });
    await expect.poll(() => alert.textContent()).toContain('IN_USE');
    expect(await alert.textContent()).toContain(id);
    // The modal closes (after its transition) and the refusal stays on the page.
    await expect.poll(() => dialog.count()).toBe(0);
    expect((await api('GET', `/services/${ids.service}`)).status).toBe(200);
    await checkPage(page, 'service-in-use');
    // The refusal is the answer this test asks for: the browser logs it as a failed load, once.
    const refused = problems.filter((m) => /status of 409/.test(m));
    expect(refused).toHaveLength(1);
    problems.splice(0, problems.length, ...problems.filter((m) => !refused.includes(m)));
    assertClean();
  });
});
