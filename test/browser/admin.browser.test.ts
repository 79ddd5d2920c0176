import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Proc, runTsx, waitExit } from '../e2e/server-process';
import { type Stack, startStack } from '../e2e/stack';
import { Browsing, browserTestsAvailable, checkPage, ensureWebBuilt, navigate, WIDTHS } from './harness';

/**
 * The admin pages on the real `npm start`: runner pools and their registration command (used by a
 * real runner process), users and role bindings, the approval policy, and the audit trail those
 * changes leave, verified. A viewer sees the same pages with the controls off and the missing
 * permission named.
 */
const available = browserTestsAvailable();

/** startStack's bootstrap admin. */
const ADMIN_PASSWORD = 'e2e admin password long enough';
const PASSWORD = 'browser test password long enough';
/** How long a poll waits for the page: the server, runner and browser share two busy cores. */
const PATIENT = { timeout: 20_000, interval: 250 };

describe.skipIf(!available)('the admin pages in a real browser', { timeout: 180_000 }, () => {
  let stack: Stack;
  const web = new Browsing();
  let origin = '';
  let projectId = '';
  let runner: Proc | undefined;

  const tab = (user: string, password: string, viewport = WIDTHS.desktop) =>
    web.signedIn(user, password, viewport);

  async function choose(page: Page, label: string, option: string) {
    await page.getByRole('combobox', { name: label, exact: true }).click();
    await page.getByRole('option', { name: option, exact: true }).click();
  }

  beforeAll(async () => {
    await ensureWebBuilt();
    stack = await startStack();
    origin = `http://127.0.0.1:${stack.server.port}`;
    projectId = (await stack.api('POST', '/projects', { name: 'shop' })).json.id;
    await stack.api('POST', '/users', { username: 'viewer', password: PASSWORD });
    await stack.api('POST', '/role-bindings', { username: 'viewer', role: 'viewer', project_id: projectId });
    await web.start(origin);
  }, 180_000);

  afterAll(async () => {
    await web.close();
    await stack?.stop();
  }, 60_000);

  it('an admin creates a pool; a runner registered with the copied command shows online, then is rotated and revoked', async () => {
    const { page, assertClean } = await tab('admin', ADMIN_PASSWORD);
    await navigate(page, '/runners');
    const form = page.getByRole('region', { name: 'New runner pool' });
    await form.getByLabel(/^Pool name/).fill('lab');
    await form.getByRole('button', { name: 'Create pool' }).click();
    const pool = page.getByRole('region', { name: 'Pool lab' });
    await pool.getByRole('button', { name: 'New registration token' }).click();
    const command = await pool
      .getByRole('region', { name: 'Registration command' })
      .getByTestId('shown-once')
      .textContent();
    const m = /^npm run runner -- --api (\S+) --registration-token (k8smreg_\S+) --state-dir \S+$/.exec(
      command ?? '',
    );
    expect(m, command ?? '').not.toBeNull();
    expect(m![1]).toBe(origin);
    runner = runTsx(
      'runner/cli.ts',
      [
        '--api',
        m![1]!,
        '--registration-token',
        m![2]!,
        '--state-dir',
        `${stack.tmp('k8sm-runner-')}/state`,
        '--name',
        'web-runner',
      ],
      {},
    );
    const runners = pool.getByRole('table', { name: 'Runners of lab' });
    await expect
      .poll(() => runners.textContent(), { timeout: 60_000, interval: 1000 })
      .toMatch(/web-runner.*online/);
    await checkPage(page, 'runners-registration');
    await pool.getByRole('button', { name: 'Done' }).click();

    await pool.getByRole('button', { name: 'Rotate token of web-runner' }).click();
    const rotated = await pool
      .getByRole('region', { name: 'New runner token' })
      .getByTestId('shown-once')
      .textContent();
    expect(rotated).toMatch(/^\S{20,}$/);
    expect(rotated).not.toBe(m![2]);
    // The old token stopped working: the runner is refused and exits as documented.
    expect((await waitExit(runner, 60_000)).code).toBe(3);

    await pool.getByRole('button', { name: 'Revoke', exact: true }).click();
    await page.getByRole('button', { name: 'Revoke web-runner' }).click();
    await expect.poll(() => runners.textContent(), PATIENT).toMatch(/web-runner.*revoked/);
    const listed = (await stack.api('GET', '/runners')).json.items;
    expect(listed).toHaveLength(1);
    expect(listed[0].revoked_at).not.toBeNull();
    assertClean();
  });

  it('an admin creates a user, grants a role and changes a policy', async () => {
    const { page, assertClean } = await tab('admin', ADMIN_PASSWORD);
    await navigate(page, '/settings');
    const users = page.getByRole('region', { name: 'Users', exact: true });
    await users.getByLabel(/^Username/).fill('alice');
    await users.getByLabel(/^Password/).fill(PASSWORD);
    await users.getByRole('button', { name: 'Create user' }).click();
    await expect
      .poll(() => users.getByRole('table', { name: 'Users' }).textContent(), PATIENT)
      .toContain('alice');

    await choose(page, 'User', 'alice');
    await choose(page, 'Role', 'deployer');
    await choose(page, 'In project (empty: all projects)', 'shop');
    await page.getByRole('button', { name: 'Grant role' }).click();
    const bindings = page.getByRole('table', { name: 'Role bindings' });
    await expect.poll(() => bindings.textContent(), PATIENT).toContain('alicedeployershop');
    const granted = (await stack.api('GET', '/role-bindings')).json.items;
    expect(granted.find((b: { username: string }) => b.username === 'alice')).toMatchObject({
      role: 'deployer',
      project_id: projectId,
    });

    // Disable and enable again: the table follows the API.
    const alice = () => users.getByRole('table', { name: 'Users' }).getByRole('row', { name: /alice/ });
    await users.getByRole('button', { name: 'Disable alice' }).click();
    await expect.poll(() => alice().textContent(), PATIENT).toContain('disabled');
    const listed = (await stack.api('GET', '/users')).json.items;
    expect(listed.find((u: { username: string }) => u.username === 'alice').disabled).toBe(true);
    await users.getByRole('button', { name: 'Enable alice' }).click();
    await expect.poll(() => alice().textContent(), PATIENT).toContain('active');

    // A second binding, revoked from its row.
    await choose(page, 'User', 'alice');
    await choose(page, 'Role', 'viewer');
    await page.getByRole('button', { name: 'Grant role' }).click();
    await expect.poll(() => bindings.textContent(), PATIENT).toContain('aliceviewerall projects');
    await page.getByRole('button', { name: 'Revoke viewer of alice in all projects' }).click();
    await expect.poll(() => bindings.textContent(), PATIENT).not.toContain('aliceviewer');
    const left = (await stack.api('GET', '/role-bindings')).json.items;
    expect(
      left.filter((b: { username: string }) => b.username === 'alice').map((b: { role: string }) => b.role),
    ).toEqual(['deployer']);

    const policy = page.getByRole('region', { name: 'Approval policy' });
    await policy.getByRole('group', { name: 'Tickets in staging' }).getByLabel('Apply').check();
    await policy.getByRole('button', { name: 'Save policy' }).click();
    await policy.getByText('Saved.').waitFor();
    const saved = (await stack.api('GET', `/projects/${projectId}/policy`)).json;
    expect(saved.tickets.staging).toEqual(['apply']);
    expect(saved.tickets.production).toEqual(['apply', 'rollback', 'install']);
    await checkPage(page, 'settings');
    assertClean();
  });

  it('the audit page finds those events, shows one in full, and Verify says ok', async () => {
    const { page, assertClean } = await tab('admin', ADMIN_PASSWORD);
    await navigate(page, '/audit');
    const search = page.getByRole('region', { name: 'Search' });
    await search.getByLabel('Resource type').fill('runner');
    await search.getByRole('button', { name: 'Search' }).click();
    const table = page.getByRole('table', { name: 'Audit events' });
    // Only the runner's own events, once the search has landed.
    const runnerEvents = async () => {
      const text = (await table.textContent()) ?? '';
      return text.includes('runner.revoked') && !text.includes('user.created');
    };
    await expect.poll(runnerEvents, PATIENT).toBe(true);
    expect(await table.textContent()).toContain('runner.token_rotated');

    await search.getByLabel('Resource type').fill('');
    await choose(page, 'Action', 'role_binding.created');
    await search.getByRole('button', { name: 'Search' }).click();
    await expect
      .poll(() => table.getByRole('button', { name: 'role_binding.created' }).count(), PATIENT)
      .toBe(3);
    await table.getByRole('button', { name: 'role_binding.created' }).nth(1).click();
    const json = page.getByLabel('Event JSON');
    await expect.poll(() => json.textContent(), PATIENT).toContain('"action": "role_binding.created"');
    expect(await json.textContent()).toContain('"username": "alice"');
    expect(await json.textContent()).toContain('"role": "deployer"');
    await page.keyboard.press('Escape');
    await expect.poll(() => json.count(), PATIENT).toBe(0);
    // The dialog outlives its content while it fades out; axe below must not meet it half gone.
    await expect.poll(() => page.getByRole('dialog').count(), PATIENT).toBe(0);

    await page.getByRole('button', { name: 'Verify', exact: true }).click();
    const verdict = page.getByTestId('verify-result');
    await expect.poll(() => verdict.textContent(), PATIENT).toContain('Verified: ok');
    await checkPage(page, 'audit');
    assertClean();
  });

  it('a viewer sees the admin pages with their controls off and the missing permission named', async () => {
    const { page, assertClean } = await tab('viewer', PASSWORD);
    await navigate(page, '/settings');
    const policy = page.getByRole('region', { name: 'Approval policy' });
    await policy.getByRole('button', { name: 'Save policy' }).waitFor();
    expect(await policy.getByRole('button', { name: 'Save policy' }).isDisabled()).toBe(true);
    expect(
      await policy.getByRole('group', { name: 'Tickets in staging' }).getByLabel('Apply').isDisabled(),
    ).toBe(true);
    await policy.getByText('missing permission policy:write').waitFor();
    expect(await page.getByRole('button', { name: 'Create user' }).isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Grant role' }).isDisabled()).toBe(true);
    expect(await page.getByText('missing permission rbac:admin').count()).toBe(2);
    expect(await page.getByRole('table', { name: 'Users' }).count()).toBe(0);
    await checkPage(page, 'settings-viewer');

    await navigate(page, '/runners');
    await page.getByRole('region', { name: 'Pool lab' }).waitFor();
    expect(await page.getByRole('button', { name: 'New registration token' }).count()).toBe(0);
    await page.getByText('missing permission runner:admin').waitFor();

    await navigate(page, '/audit');
    expect(await page.getByRole('button', { name: 'Verify', exact: true }).isDisabled()).toBe(true);
    await page.getByText(/missing permission audit:read/).waitFor();
    assertClean();
  });

  it('the three pages have one h1, pass axe and work at phone width', async () => {
    for (const viewport of [WIDTHS.desktop, WIDTHS.phone]) {
      const { page, assertClean } = await tab('admin', ADMIN_PASSWORD, viewport);
      for (const name of ['runners', 'audit', 'settings']) {
        await navigate(page, `/${name}`);
        await page.locator('h1').first().waitFor();
        await page.getByRole('status', { name: 'Loading' }).waitFor({ state: 'detached' });
        await checkPage(page, name);
      }
      assertClean();
    }
  });
});
