import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSealingKeyPair } from '../../shared/crypto/sealed-box';
import { type Stack, startStack } from '../e2e/stack';
import { type Material, makeMaterial } from '../support/material';
import { addMember, seedPool } from '../support/ssh-host';
import { Browsing, browserTestsAvailable, checkPage, ensureWebBuilt, navigate } from './harness';

/**
 * A k8s install from the wizard with a role per host and a VIP, and the VIP task that follows it
 * (seed 004 §5.4), as people see them: Chromium driving the real `npm start`. The runner is this
 * test speaking the runner protocol (claim, steps, complete), so the hosts need not exist; the
 * VIP task ends as it does on a kernel without IPVS.
 */
const available = browserTestsAvailable();

const PASSWORD = 'browser test password long enough';
const VERSION = '1.30.2-synth';
const VIP = '198.51.100.200/32';
const SOON = { timeout: 15_000, interval: 200 };

describe.skipIf(!available)(
  'a k8s install with roles and its VIP task in a real browser',
  { timeout: 240_000 },
  () => {
    let stack: Stack;
    const web = new Browsing();
    const ids = {} as Record<'project' | 'pool' | 'dev' | 'worker' | 'cp' | 'task' | 'vip', string>;
    let runnerToken = '';
    let m: Material;

    const next = (page: Page) => page.getByRole('button', { name: 'Next', exact: true }).click();
    const asRunner = (method: string, path: string, body: unknown) =>
      stack.api(method, path, body, runnerToken);

    async function claim() {
      const c = await asRunner('POST', '/runner/jobs/claim', { wait_seconds: 5 });
      expect(c.status, c.text).toBe(200);
      return c.json.job as { id: string; lease_token: string; attempt: number; payload: any };
    }
    async function step(
      job: { id: string; lease_token: string },
      name: string,
      host: string,
      status: string,
      extra = {},
    ) {
      const r = await asRunner('POST', `/runner/jobs/${job.id}/steps`, {
        lease_token: job.lease_token,
        name,
        host_id: host,
        attempt: 1,
        status,
        ...extra,
      });
      expect(r.status, r.text).toBe(200);
    }

    beforeAll(async () => {
      await ensureWebBuilt();
      m = makeMaterial();
      stack = await startStack();
      const api = (path: string, body: unknown) => stack.api('POST', path, body);
      const s = await seedPool(stack.api, { project: 'infra', pool: 'dc1', envs: { dev: 'development' } });
      Object.assign(ids, { project: s.project, pool: s.pool, dev: s.envs.dev });
      const cred = await api('/credentials', {
        project_id: ids.project,
        name: 'root-password',
        kind: 'ssh_password',
        payload: { password: 'a password long enough for the test' },
      });
      expect(cred.status, cred.text).toBe(201);
      for (const [key, name, last] of [
        ['worker', 'node-a', 21],
        ['cp', 'node-b', 22],
      ] as const) {
        const h = await api('/hosts', {
          project_id: ids.project,
          name,
          address: `192.0.2.${last}`,
          port: 22,
          username: 'root',
          credential_id: cred.json.id,
          runner_pool_id: ids.pool,
        });
        expect(h.status, h.text).toBe(201);
        ids[key] = h.json.id;
      }
      await addMember(stack.api, {
        username: 'operator',
        password: PASSWORD,
        role: 'admin',
        project: ids.project,
      });
      const reg = await api(`/runner-pools/${ids.pool}/registration-tokens`, {});
      const runner = await api('/runner/register', {
        registration_token: reg.json.token,
        name: 'r1',
        labels: {},
        public_key: generateSealingKeyPair().publicKey,
      });
      expect(runner.status, runner.text).toBe(201);
      runnerToken = runner.json.runner_token;
      await web.start(`http://127.0.0.1:${stack.server.port}`);
    }, 240_000);

    afterAll(async () => {
      await web.close();
      await stack?.stop();
      m?.cleanup();
    }, 120_000);

    it('an operator picks a control plane and a worker and a VIP; the VIP task follows the cluster task', async () => {
      const { page, assertClean } = await web.signedIn('operator', PASSWORD);
      await navigate(page, `/environments/${ids.dev}`);
      const wizard = page.getByRole('region', { name: 'Install runtime' });
      await wizard.waitFor();
      await wizard.getByRole('radio', { name: 'Kubernetes node' }).check();
      await next(page);
      await wizard.getByRole('combobox', { name: 'Version', exact: true }).click();
      await page.getByRole('option', { name: `${VERSION} (test stand-in)` }).click();
      await next(page);
      await wizard.getByRole('combobox', { name: 'Hosts', exact: true }).click();
      await page.getByRole('option', { name: /^node-a / }).click();
      await page.getByRole('option', { name: /^node-b / }).click();
      await page.keyboard.press('Escape');
      const roles = wizard.getByRole('region', { name: 'Roles' });
      // The first host chosen starts as the control plane; the operator moves it to node-b.
      const roleOf = (host: string) =>
        roles.getByRole('radiogroup', { name: new RegExp(`^Role of ${host} `) });
      expect(await roleOf('node-a').getByRole('radio', { name: 'Control plane' }).isChecked()).toBe(true);
      await roleOf('node-a').getByRole('radio', { name: 'Worker' }).check();
      await expect
        .poll(() => roles.getByText('At least one host must be a control plane.').count(), SOON)
        .toBe(1);
      expect(await page.getByRole('button', { name: 'Next', exact: true }).isDisabled()).toBe(true);
      await roleOf('node-b').getByRole('radio', { name: 'Control plane' }).check();
      await checkPage(page, 'install-wizard-roles');
      await next(page);
      await wizard.getByRole('switch', { name: /Virtual IP/ }).check();
      await wizard.getByLabel('VIP address').fill(VIP);
      await next(page);
      const review = wizard.getByRole('region', { name: 'Review' });
      await expect.poll(() => review.textContent(), SOON).toContain('node-b (192.0.2.22) as control plane');
      expect(await review.textContent()).toContain('node-a (192.0.2.21) as worker');
      expect(await review.textContent()).toContain(`then a VIP task for ${VIP}`);
      await page.getByRole('button', { name: 'Start install' }).click();
      await page.waitForURL(/\/install\/itk_/);
      ids.task = page.url().split('/').pop()!;
      const vipNote = page.getByRole('region', { name: 'VIP task' });
      await expect
        .poll(() => vipNote.textContent(), SOON)
        .toContain('follows once this install has succeeded');

      // The runner gets the roles; the cluster task succeeds.
      const job = await claim();
      expect(job.payload).toMatchObject({
        task_id: ids.task,
        options: { lvs_vip: VIP, roles: { [ids.cp]: 'control-plane', [ids.worker]: 'worker' } },
      });
      const done = await asRunner('POST', `/runner/jobs/${job.id}/complete`, {
        lease_token: job.lease_token,
        status: 'succeeded',
        result: {
          hosts: [ids.worker, ids.cp].map((host_id) => ({ host_id, status: 'succeeded', arch: 'amd64' })),
        },
      });
      expect(done.status, done.text).toBe(200);
      await expect.poll(() => page.getByTestId('task-status').textContent(), SOON).toBe('succeeded');
      await expect.poll(() => page.getByTestId('vip-task-status').textContent(), SOON).toBe('queued');

      // The VIP task runs on its own and ends as on a kernel without IPVS, the page following it.
      const vipJob = await claim();
      expect(vipJob.payload).toMatchObject({ action: 'vip', host_ids: [ids.cp] });
      ids.vip = vipJob.payload.task_id;
      await step(vipJob, `vip.preflight.${ids.cp}`, ids.cp, 'succeeded');
      await step(vipJob, `vip.render.${ids.cp}`, ids.cp, 'succeeded', {
        output: 'virtual_server 198.51.100.200 6443 {',
      });
      await step(vipJob, `vip.vip.${ids.cp}`, ids.cp, 'failed', { error_code: 'PREFLIGHT_IPVS' });
      await asRunner('POST', `/runner/jobs/${vipJob.id}/complete`, {
        lease_token: vipJob.lease_token,
        status: 'failed',
        error_code: 'PREFLIGHT_IPVS',
      });
      await expect.poll(() => page.getByTestId('vip-task-status').textContent(), SOON).toBe('failed');
      await vipNote.getByRole('link', { name: `VIP task ${ids.vip}` }).click();
      await page.waitForURL((u) => u.pathname.endsWith(`/install/${ids.vip}`));
      await expect.poll(() => page.locator('h1').textContent(), SOON).toBe(`VIP for k8s ${VERSION}`);
      const stepOf = (name: string) => page.getByTestId(`step-${ids.cp}-${name}`);
      await expect.poll(() => stepOf('vip').getAttribute('data-status'), SOON).toBe('failed');
      expect(await stepOf('render').getAttribute('data-status')).toBe('succeeded');
      expect(await stepOf('vip').textContent()).toContain('PREFLIGHT_IPVS');
      expect(await page.getByText('Follows the install').count()).toBe(1);
      expect(await page.getByRole('button', { name: 'Retry' }).count()).toBe(1);
      expect(await page.getByRole('button', { name: 'Rollback' }).count()).toBe(0);
      await checkPage(page, 'install-vip-task');
      assertClean();
    });

    it("the clusters page shows when an installed cluster's certificates expire, and Renew queues the renewal task", async () => {
      // A second install on node-a alone: its completion carries the admin kubeconfig and the expiry.
      const req = await stack.api('POST', `/environments/${ids.dev}/install`, {
        runtime: 'k8s',
        version: VERSION,
        host_ids: [ids.worker],
      });
      expect(req.status, req.text).toBe(202);
      const job = await claim();
      expect(job.payload.task_id).toBe(req.json.id);
      const expires = new Date(Date.now() + 20 * 86_400_000).toISOString();
      const done = await asRunner('POST', `/runner/jobs/${job.id}/complete`, {
        lease_token: job.lease_token,
        status: 'succeeded',
        result: {
          hosts: [{ host_id: ids.worker, status: 'succeeded', arch: 'amd64' }],
          admin_kubeconfig: m.kubeconfig(m.certUser, 'https://192.0.2.21:6443'),
          cert_expires_at: expires,
        },
      });
      expect(done.status, done.text).toBe(200);
      const task = await stack.api('GET', `/environments/${ids.dev}/install/tasks/${req.json.id}`);
      const clusterId = task.json.registered.cluster_id as string;
      const cluster = await stack.api('GET', `/clusters/${clusterId}`);

      const { page, assertClean } = await web.signedIn('operator', PASSWORD);
      await navigate(page, '/clusters');
      const certs = page.getByRole('region', { name: `Certificates of ${cluster.json.name}` });
      await expect
        .poll(() => certs.getByTestId('cert-expiry').textContent(), SOON)
        .toMatch(new RegExp(`certificates expire ${expires.slice(0, 10)} \\(in (19|20) days\\)`));
      await checkPage(page, 'clusters-certificates');
      await certs.getByRole('button', { name: `Renew the certificates of ${cluster.json.name}` }).click();
      await expect.poll(() => certs.textContent(), SOON).toContain('Renewal queued');
      // Jobs the new target brought (its status checks) come first; the renewal is among the next.
      let renewal = await claim();
      for (let i = 0; i < 5 && renewal.payload?.action !== 'cert_renew'; i++) renewal = await claim();
      expect(renewal.payload).toMatchObject({ action: 'cert_renew', host_ids: [ids.worker] });
      await certs.getByRole('link', { name: /^task itk_/ }).click();
      await page.waitForURL((u) => u.pathname.endsWith(`/install/${renewal.payload.task_id}`));
      await expect
        .poll(() => page.locator('h1').textContent(), SOON)
        .toBe(`Certificate renewal of k8s ${VERSION}`);
      assertClean();
    });
  },
);
