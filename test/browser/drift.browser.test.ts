import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../e2e/stack';
import { type SshPeer, startSshd } from '../peers/sshd';
import { killDaemons } from '../support/install-hosts';
import { addMember, seedSshHost } from '../support/ssh-host';
import { Browsing, browserTestsAvailable, checkPage, ensureWebBuilt, navigate, WIDTHS } from './harness';

/**
 * The drift report on the environment page (SPEC §7.4): the synthetic compose bundle installed
 * by a real runner on a real sshd host into a prefix, then "Verify install" before and after the
 * host's files are edited and deleted under it.
 */
const available = browserTestsAvailable(['sshd', 'ssh-keygen', 'sha256sum']);

const PASSWORD = 'browser test password long enough';
const VERSION = '24.0.7-synth';
const SOON = { timeout: 15_000, interval: 200 };
/** A verify is a runner job: claim, SSH, report. */
const JOB = { timeout: 90_000, interval: 300 };

describe.skipIf(!available)('the drift report in a real browser', { timeout: 240_000 }, () => {
  let sshd: SshPeer;
  let stack: Stack;
  let origin = '';
  let prefix = '';
  const web = new Browsing();
  const ids = {} as Record<'project' | 'pool' | 'dev' | 'host', string>;

  async function tab(user: string, viewport = WIDTHS.desktop) {
    return web.signedIn(user, PASSWORD, viewport);
  }

  const hostState = (page: Page) =>
    page
      .getByTestId(`drift-${ids.host}`)
      .getAttribute('data-drift', { timeout: 2_000 })
      .catch(() => null);
  const rows = (page: Page, state: string) =>
    page.locator(`[data-testid="drift-${ids.host}"] tr[data-state="${state}"]`).allTextContents();

  beforeAll(async () => {
    await ensureWebBuilt();
    sshd = await startSshd();
    stack = await startStack();
    origin = `http://127.0.0.1:${stack.server.port}`;
    prefix = stack.tmp('k8sm-web-drift-');
    const api = (path: string, body: unknown) => stack.api('POST', path, body);
    const s = await seedSshHost(stack.api, sshd, {
      project: 'infra',
      pool: 'dc1',
      host: 'bare-1',
      envs: { dev: 'development' },
    });
    Object.assign(ids, { project: s.project, pool: s.pool, dev: s.envs.dev, host: s.host });
    for (const [username, role] of [
      ['operator', 'admin'],
      ['watcher', 'viewer'],
    ] as const)
      await addMember(stack.api, { username, password: PASSWORD, role, project: ids.project });
    await stack.startRunner(ids.pool, 'runner-drift');
    const task = await api(`/environments/${ids.dev}/install`, {
      runtime: 'compose',
      version: VERSION,
      host_ids: [ids.host],
      options: { prefix },
    });
    expect(task.status, task.text).toBe(202);
    // expect.poll belongs to tests, not hooks: a plain wait for the install to end.
    const deadline = Date.now() + 120_000;
    let status = '';
    while (Date.now() < deadline && !['succeeded', 'failed'].includes(status)) {
      await new Promise((r) => setTimeout(r, 500));
      status = (await stack.api('GET', `/environments/${ids.dev}/install/tasks/${task.json.id}`)).json.status;
    }
    expect(status).toBe('succeeded');
    await web.start(origin);
  }, 240_000);

  afterAll(async () => {
    await web.close();
    if (prefix) killDaemons(prefix);
    await stack?.stop();
    await sshd?.stop();
  }, 120_000);

  it('an operator verifies an untouched install: no drift, no file listed', async () => {
    const { page, assertClean } = await tab('operator');
    await navigate(page, `/environments/${ids.dev}`);
    const drift = page.getByRole('region', { name: 'Drift' });
    await drift.waitFor();
    await drift.getByRole('button', { name: 'Verify install' }).click();
    await expect.poll(() => hostState(page), JOB).toBe('none');
    expect(await drift.getByText('no drift').count()).toBe(1);
    expect(await drift.getByText('bare-1').count()).toBe(1);
    expect(await drift.locator('tr[data-state]').count()).toBe(0);
    await checkPage(page, 'environment-drift-none');
    assertClean();
  });

  it('names the edited file changed and the deleted one missing, highlighted, at both widths', async () => {
    writeFileSync(join(prefix, 'etc/docker/daemon.json'), '{"debug": true}\n');
    rmSync(join(prefix, 'usr/local/bin/docker'));
    for (const width of [WIDTHS.desktop, WIDTHS.phone]) {
      const { page, assertClean } = await tab('operator', width);
      await navigate(page, `/environments/${ids.dev}`);
      await page
        .getByRole('region', { name: 'Drift' })
        .getByRole('button', { name: 'Verify install' })
        .click();
      await expect.poll(() => hostState(page), JOB).toBe('missing');
      await expect
        .poll(() => rows(page, 'changed'), SOON)
        .toEqual([expect.stringContaining('etc/docker/daemon.json')]);
      expect(await rows(page, 'missing')).toEqual([expect.stringContaining('usr/local/bin/docker')]);
      const missing = page.locator(`[data-testid="drift-${ids.host}"] tr[data-state="missing"]`);
      // Highlighted: the row is painted, not only labelled.
      expect(
        await missing.evaluate(
          (tr) =>
            (
              globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }
            ).getComputedStyle(tr).backgroundColor,
        ),
      ).not.toMatch(/^rgba\(0, 0, 0, 0\)$|^transparent$/);
      await checkPage(page, 'environment-drift');
      assertClean();
    }
  });

  it('a viewer sees no verify button, and is told which permission it lacks', async () => {
    const { page, assertClean } = await tab('watcher');
    await navigate(page, `/environments/${ids.dev}`);
    await expect
      .poll(
        () => page.getByText('Verifying installs (drift): missing permission environment:install').count(),
        SOON,
      )
      .toBe(1);
    expect(await page.getByRole('button', { name: 'Verify install' }).count()).toBe(0);
    assertClean();
  });
});
