import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Answer } from '../e2e/server-process';
import { type Stack, startStack } from '../e2e/stack';
import {
  COMPOSE_LAB_PEERS,
  type ComposeLab,
  startComposeLab,
  WEB_AND_WORKER_COMPOSE,
} from '../peers/compose-lab';
import { dockerEnv } from '../peers/docker';
import { must } from '../peers/proc';
import { registerSecret } from '../support/leak-guard';
import { createComposeTarget, seedSshHost } from '../support/ssh-host';
import { Browsing, browserTestsAvailable, checkPage, ensureWebBuilt, navigate, WIDTHS } from './harness';

/**
 * Target status in the SPA: the target page shows what the runner read (containers with their
 * state colours), Refresh reads again and the page follows by itself, and the environment page
 * shows each target's state. Real `npm start`, runner, sshd, Docker engine and registry.
 */
const available = browserTestsAvailable(COMPOSE_LAB_PEERS);

const PASSWORD = 'browser test password long enough';
const COMPOSE_PROJECT = `spastatus-${process.pid}`;

describe.skipIf(!available)('target status in a real browser', { timeout: 240_000 }, () => {
  let lab: ComposeLab;
  let stack: Stack;
  const web = new Browsing();
  let origin = '';
  let target = '';
  let env = '';

  const api = async (method: string, path: string, body?: unknown): Promise<Answer> => {
    const a = await stack.api(method, path, body);
    expect(a.status, `${method} ${path}: ${a.text}`).toBeLessThan(300);
    return a;
  };

  async function tab(user: string, viewport = WIDTHS.desktop) {
    return web.signedIn(user, PASSWORD, viewport);
  }

  beforeAll(async () => {
    await ensureWebBuilt();
    lab = await startComposeLab({ tags: ['v1'] });
    stack = await startStack();
    origin = `http://127.0.0.1:${stack.server.port}`;
    const s = await seedSshHost(api, lab.sshd, {
      project: 'shop',
      pool: 'lab',
      host: 'lab-1',
      envs: { dev: 'development' },
    });
    const { project, pool } = s;
    env = s.envs.dev;
    target = await createComposeTarget(api, {
      project,
      environment: env,
      name: 'dev-web',
      hosts: [s.host],
      composeProject: COMPOSE_PROJECT,
    });
    const service = await api('POST', '/services', {
      project_id: project,
      name: 'web',
      compose_file: WEB_AND_WORKER_COMPOSE,
      secret_variables: ['API_KEY'],
    });
    for (const role of ['deployer', 'viewer']) {
      await api('POST', '/users', { username: role, password: PASSWORD });
      await api('POST', '/role-bindings', { username: role, role, project_id: project });
    }
    await stack.startRunner(pool, 'runner-status');
    const pv = await api('POST', '/deploy/releases/preview', {
      service_id: service.json.id,
      target_id: target,
      variables: {
        REGISTRY: lab.registry.address,
        TAG: 'v1',
        API_KEY: registerSecret(`sk-spa-status-${Date.now()}`),
      },
    });
    const ap = await api('POST', '/deploy/releases/apply', { preview_ref: pv.json.preview_ref });
    const deadline = Date.now() + 150_000;
    for (;;) {
      const r = (await stack.api('GET', `/deploy/releases/${ap.json.release_id}`)).json;
      if (r.lifecycle_state === 'applied') break;
      if (r.lifecycle_state === 'failed' || Date.now() > deadline)
        throw new Error(`release ${r.lifecycle_state}: ${JSON.stringify(r.diagnostics_json)}`);
      await new Promise((res) => setTimeout(res, 500));
    }
    await web.start(origin);
  }, 240_000);

  afterAll(async () => {
    await web.close();
    await stack?.stop();
    await lab?.stop();
  }, 120_000);

  it('shows the containers after Refresh, then degraded after one is stopped by hand, without a reload', async () => {
    const { page, assertClean } = await tab('deployer');
    await navigate(page, `/targets/${target}`);
    const section = page.getByRole('region', { name: 'Status' });
    await section.waitFor();
    await section.getByRole('button', { name: 'Refresh status' }).click();
    const containers = section.getByRole('table', { name: /^Containers on / });
    await expect
      .poll(() => containers.textContent(), { timeout: 120_000, interval: 500 })
      .toContain('worker');
    await expect.poll(() => section.getByLabel('Status healthy').count(), { timeout: 60_000 }).toBe(1);
    expect(await containers.textContent()).toContain(`${lab.registry.address}/web:v1`);
    expect(await containers.getByText('running', { exact: true }).count()).toBe(2);
    // The host by its name, as the deployer (host:read) knows it, not by its id.
    await expect.poll(() => section.getByRole('table', { name: 'Containers on lab-1' }).count()).toBe(1);
    await checkPage(page, 'target-status');

    const denv = { ...process.env, ...dockerEnv(lab.engine.host) };
    const id = (
      await must(
        [
          'docker',
          'ps',
          '-q',
          '--filter',
          `label=com.docker.compose.project=${COMPOSE_PROJECT}`,
          '--filter',
          'label=com.docker.compose.service=worker',
        ],
        { env: denv },
      )
    ).trim();
    await must(['docker', 'stop', '-t', '1', id], { env: denv });
    await page.evaluate(() => {
      (globalThis as unknown as { marker: number }).marker = 7;
    });
    await section.getByRole('button', { name: 'Refresh status' }).click();
    await expect
      .poll(() => section.getByLabel('Status degraded').count(), { timeout: 120_000, interval: 500 })
      .toBe(1);
    expect(await containers.getByText('exited', { exact: true }).count()).toBe(1);
    expect(await page.evaluate(() => (globalThis as unknown as { marker?: number }).marker)).toBe(7);

    await navigate(page, `/environments/${env}`);
    const row = page.getByRole('table', { name: 'Targets' }).getByRole('row', { name: /dev-web/ });
    await expect.poll(() => row.getByLabel('Status degraded').count(), { timeout: 30_000 }).toBe(1);
    await checkPage(page, 'environment-status');
    assertClean();
  });

  it('shows a viewer the status on a phone, without Refresh, naming the permission', async () => {
    const { page, assertClean } = await tab('viewer', WIDTHS.phone);
    await navigate(page, `/targets/${target}`);
    const section = page.getByRole('region', { name: 'Status' });
    await expect.poll(() => section.getByLabel('Status degraded').count(), { timeout: 30_000 }).toBe(1);
    expect(await section.getByRole('button', { name: 'Refresh status' }).count()).toBe(0);
    expect(await section.textContent()).toContain('Refreshing needs target:write.');
    await checkPage(page, 'target-status-viewer');
    assertClean();
  });
});
