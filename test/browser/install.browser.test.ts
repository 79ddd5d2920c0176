import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../e2e/stack';
import { type SshPeer, startSshd } from '../peers/sshd';
import { killDaemons, listing } from '../support/install-hosts';
import { addMember, seedSshHost } from '../support/ssh-host';
import { Browsing, browserTestsAvailable, checkPage, ensureWebBuilt, navigate, WIDTHS } from './harness';

/**
 * The install wizard and task page as people use them: Debian's Chromium driving the real
 * `npm start`, a real runner process with the checkout's `script/` bundles, and a real sshd. The
 * synthetic compose bundle goes into a prefix (a temp dir), so the machine itself is untouched.
 */
const available = browserTestsAvailable(['sshd', 'ssh-keygen', 'sha256sum']);

const PASSWORD = 'browser test password long enough';
const VERSION = '24.0.7-synth';
const HOST = 'bare-1';
/** What a page shows once its queries answer: a loaded machine may take a few seconds. */
const SOON = { timeout: 15_000, interval: 200 };

describe.skipIf(!available)(
  'the install wizard and task page in a real browser',
  { timeout: 240_000 },
  () => {
    let sshd: SshPeer;
    let stack: Stack;
    const web = new Browsing();
    let origin = '';
    let prefix = '';
    let before: string[] = [];
    const ids = {} as Record<'project' | 'pool' | 'dev' | 'host' | 'task', string>;

    const tab = (user: string, viewport = WIDTHS.desktop) => web.signedIn(user, PASSWORD, viewport);

    const next = (page: Page) => page.getByRole('button', { name: 'Next', exact: true }).click();

    /** Runtime → version → hosts → options, leaving the wizard on its review step. */
    async function fillWizard(page: Page) {
      const wizard = page.getByRole('region', { name: 'Install runtime' });
      await wizard.getByRole('radio', { name: 'Docker Compose engine' }).check();
      await next(page);
      await wizard.getByRole('combobox', { name: 'Version', exact: true }).click();
      await page.getByRole('option', { name: `${VERSION} (test stand-in)` }).click();
      await expect
        .poll(() => wizard.getByRole('region', { name: 'About this version' }).textContent(), SOON)
        .toContain('debian-12');
      await next(page);
      await wizard.getByRole('combobox', { name: 'Hosts', exact: true }).click();
      await page.getByRole('option', { name: new RegExp(`^${HOST} `) }).click();
      await page.keyboard.press('Escape');
      await next(page);
      await wizard.getByLabel('Install prefix').fill(prefix);
      await next(page);
      await expect
        .poll(() => wizard.getByRole('region', { name: 'Review' }).textContent(), SOON)
        .toContain(prefix);
    }

    const statusOf = (page: Page) => page.getByTestId('task-status').textContent();
    const stepsIn = (page: Page, status: string) =>
      page.locator(`[data-testid^="step-${ids.host}-"][data-status="${status}"]`).count();

    beforeAll(async () => {
      await ensureWebBuilt();
      sshd = await startSshd();
      stack = await startStack();
      origin = `http://127.0.0.1:${stack.server.port}`;
      prefix = stack.tmp('k8sm-web-install-');
      before = listing(prefix);
      const s = await seedSshHost(stack.api, sshd, {
        project: 'infra',
        pool: 'dc1',
        host: HOST,
        envs: { dev: 'development' },
      });
      Object.assign(ids, { project: s.project, pool: s.pool, dev: s.envs.dev, host: s.host });
      for (const [username, role] of [
        ['operator', 'admin'],
        ['watcher', 'viewer'],
      ] as const)
        await addMember(stack.api, { username, password: PASSWORD, role, project: ids.project });
      await stack.startRunner(ids.pool, 'runner-install');
      await web.start(origin);
    }, 240_000);

    afterAll(async () => {
      await web.close();
      // Daemons a failed run left under the prefix, found by their pidfiles.
      if (prefix) killDaemons(prefix);
      await stack?.stop();
      await sshd?.stop();
    }, 120_000);

    it('an operator installs from the wizard and watches the steps arrive on the task page until it succeeds', async () => {
      const { page, assertClean } = await tab('operator');
      await navigate(page, `/environments/${ids.dev}`);
      await page.getByRole('region', { name: 'Install runtime' }).waitFor();
      await checkPage(page, 'environment');
      await fillWizard(page);
      await checkPage(page, 'install-wizard');
      await page.getByRole('button', { name: 'Start install' }).click();
      await page.waitForURL(/\/install\/itk_/);
      ids.task = page.url().split('/').pop()!;
      // Proof that nothing reloads the page from here on: the marker would be gone.
      await page.evaluate(() => {
        (globalThis as unknown as { marker: number }).marker = 7;
      });

      const seen: string[] = [];
      const finished: number[] = [];
      await expect
        .poll(
          async () => {
            const s = (await statusOf(page)) ?? '';
            if (seen.at(-1) !== s) seen.push(s);
            finished.push((await stepsIn(page, 'succeeded')) + (await stepsIn(page, 'skipped')));
            return s;
          },
          { timeout: 120_000, interval: 250 },
        )
        .toBe('succeeded');
      // The page showed the task before it ended and followed it there by itself.
      expect(['queued', 'running']).toContain(seen[0]);
      expect(finished[0]).toBeLessThan(8);
      expect(await page.evaluate(() => (globalThis as unknown as { marker?: number }).marker)).toBe(7);

      await expect.poll(() => stepsIn(page, 'succeeded'), { timeout: 10_000 }).toBeGreaterThanOrEqual(7);
      expect(await stepsIn(page, 'failed')).toBe(0);
      expect(await stepsIn(page, 'pending')).toBe(0);
      await expect.poll(() => page.getByTestId('task-progress').textContent(), SOON).toBe('100%');
      await expect.poll(() => page.getByText('Registered target').count(), SOON).toBe(1);
      // The logs hold every step's output, a page at a time.
      const logs = page.getByRole('region', { name: 'Logs' });
      await expect.poll(() => logs.getByRole('button', { name: /fingerprint/ }).count(), SOON).toBe(1);
      await logs.getByRole('button', { name: /verify/ }).click();
      await expect
        .poll(() => logs.getByRole('region', { name: /verify/ }).textContent(), SOON)
        .toMatch(/\d+ files match/);
      expect(await page.getByRole('button', { name: 'Retry' }).count()).toBe(0);
      expect(await page.getByRole('button', { name: 'Cancel' }).count()).toBe(0);
      await checkPage(page, 'install-task');

      const api = await stack.api('GET', `/environments/${ids.dev}/install/tasks/${ids.task}`);
      expect(api.json).toMatchObject({ status: 'succeeded', host_ids: [ids.host], options: { prefix } });
      assertClean();
    });

    it('a viewer sees the task but no wizard or actions, each naming the missing permission', async () => {
      const { page, assertClean } = await tab('watcher');
      await navigate(page, `/environments/${ids.dev}`);
      await expect
        .poll(
          () => page.getByText('Installing a runtime: missing permission environment:install').count(),
          SOON,
        )
        .toBe(1);
      expect(await page.getByRole('region', { name: 'Install runtime' }).count()).toBe(0);
      await page.getByRole('link', { name: `install compose ${VERSION}` }).click();
      await page.waitForURL((u) => u.pathname.endsWith(`/install/${ids.task}`));
      await expect.poll(() => statusOf(page), SOON).toBe('succeeded');
      await expect
        .poll(
          () =>
            page.getByText('Retry, rollback and uninstall: missing permission environment:install').count(),
          SOON,
        )
        .toBe(1);
      expect(await page.getByRole('button', { name: 'Uninstall' }).count()).toBe(0);
      assertClean();
    });

    it('the wizard and the task page pass axe at phone width', async () => {
      const { page, assertClean } = await tab('operator', WIDTHS.phone);
      await navigate(page, `/environments/${ids.dev}`);
      await page.getByRole('region', { name: 'Install runtime' }).waitFor();
      await checkPage(page, 'environment');
      await fillWizard(page);
      await checkPage(page, 'install-wizard');
      await navigate(page, `/environments/${ids.dev}/install/${ids.task}`);
      await expect.poll(() => statusOf(page), SOON).toBe('succeeded');
      await checkPage(page, 'install-task');
      assertClean();
    });

    it('uninstall from the task page puts the prefix back as it was', async () => {
      const { page, assertClean } = await tab('operator');
      await navigate(page, `/environments/${ids.dev}/install/${ids.task}`);
      await page.getByRole('button', { name: 'Uninstall' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Uninstall' }).click();
      await page.waitForURL((u) => /\/install\/itk_/.test(u.pathname) && !u.pathname.endsWith(ids.task));
      // The new task's page: the old heading stays until its first answer arrives.
      await expect
        .poll(() => page.locator('h1').textContent(), { timeout: 30_000 })
        .toBe(`Uninstall compose ${VERSION}`);
      await expect.poll(() => statusOf(page), { timeout: 120_000, interval: 500 }).toBe('succeeded');
      expect(listing(prefix).filter((l) => !l.startsWith('var/log'))).toEqual(
        before.filter((l) => !l.startsWith('var/log')),
      );
      assertClean();
    });
  },
);
