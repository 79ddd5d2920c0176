import type { Page } from 'playwright-core';
import ssh2 from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { Answer } from '../e2e/server-process';
import { ADMIN_PASSWORD, type Stack, startStack } from '../e2e/stack';
import { peerAvailable } from '../peers/require';
import { type SshPeer, startSshd } from '../peers/sshd';
import { registerSecret } from '../support/leak-guard';
import { Browsing, browserTestsAvailable, checkPage, ensureWebBuilt, navigate } from './harness';

/**
 * Access in a real browser against `npm start` and a real runner: a host added behind a jump host
 * on the form and tested through it (both hops shown), an EKS cluster shown as such, and a
 * preview whose access checks — one failing on SSH_AUTH — show their source and age.
 */
const available = browserTestsAvailable() && peerAvailable(['sshd', 'ssh-keygen']);

describe.skipIf(!available)(
  'access: jump hosts, EKS and access checks in a real browser',
  { timeout: 240_000 },
  () => {
    let stack: Stack;
    const web = new Browsing();
    let bastion: SshPeer;
    let inner: SshPeer;
    const ids = {} as Record<
      'project' | 'pool' | 'env' | 'bastion' | 'locked' | 'key' | 'badKey' | 'service',
      string
    >;

    const api = (method: string, path: string, body?: unknown): Promise<Answer> =>
      stack.api(method, path, body);
    const eventually = <T>(f: () => Promise<T>, timeout = 60_000) =>
      expect.poll(f, { timeout, interval: 300 });
    async function choose(page: Page, label: string, option: string) {
      await page.getByRole('combobox', { name: label, exact: true }).click();
      await page.getByRole('option', { name: option, exact: true }).click();
    }
    const lastTest = async (id: string) => (await api('GET', `/hosts/${id}`)).json.last_test;

    beforeAll(async () => {
      await ensureWebBuilt();
      bastion = await startSshd();
      inner = await startSshd();
      stack = await startStack({ K8SM_JOB_LEASE_SECONDS: '15' });
      ids.project = (await api('POST', '/projects', { name: 'acc' })).json.id;
      ids.pool = (await api('POST', '/runner-pools', { name: 'lab', project_id: ids.project })).json.id;
      ids.env = (
        await api('POST', '/environments', {
          project_id: ids.project,
          name: 'dev',
          tier: 'development',
          runner_pool_id: ids.pool,
        })
      ).json.id;
      const cred = async (name: string, key: string) =>
        (
          await api('POST', '/credentials', {
            project_id: ids.project,
            name,
            kind: 'ssh_private_key',
            payload: { private_key: key },
          })
        ).json.id as string;
      ids.key = await cred('bastion-key', bastion.privateKey);
      await cred('inner-key', inner.privateKey);
      ids.badKey = await cred(
        'stranger-key',
        registerSecret(ssh2.utils.generateKeyPairSync('ed25519').private),
      );
      const host = async (name: string, peer: SshPeer, credential: string) => {
        const r = await api('POST', '/hosts', {
          project_id: ids.project,
          name,
          address: peer.address,
          port: peer.port,
          username: peer.username,
          credential_id: credential,
          runner_pool_id: ids.pool,
        });
        expect(r.status, r.text).toBe(201);
        return r.json.id as string;
      };
      ids.bastion = await host('bastion', bastion, ids.key);
      ids.locked = await host('locked', inner, ids.badKey);
      await stack.startRunner(ids.pool, 'runner-access');
      for (const id of [ids.bastion, ids.locked]) await api('POST', `/hosts/${id}/test-connection`, {});
      // expect.poll belongs to tests: a bounded loop of its own here.
      const deadline = Date.now() + 120_000;
      let seen: [any, any] = [null, null];
      while (Date.now() < deadline && !(seen[0] && seen[1])) {
        seen = [await lastTest(ids.bastion), await lastTest(ids.locked)];
        if (!(seen[0] && seen[1])) await new Promise((r) => setTimeout(r, 300));
      }
      expect(seen[0]?.reachable, `${JSON.stringify(seen)} ${stack.runners[0]?.stderr().slice(-1500)}`).toBe(
        true,
      );
      expect(seen[1]?.error_code).toBe('SSH_AUTH');
      await web.start(`http://127.0.0.1:${stack.server.port}`);
    }, 240_000);

    afterAll(async () => {
      await web.close();
      await stack?.stop();
      await inner?.stop();
      await bastion?.stop();
    }, 60_000);

    it('adds a host behind the jump host on the form, and its test shows both hops', async () => {
      const { page, assertClean } = await web.signedIn('admin', ADMIN_PASSWORD);
      await navigate(page, '/hosts');
      await choose(page, 'Project', 'acc');
      await page.getByLabel('Host name').fill('inner');
      await page.getByLabel('Address').fill(inner.address);
      await page.getByLabel('Port').fill(String(inner.port));
      await page.getByLabel('User').fill(inner.username);
      await choose(page, 'Credential', 'inner-key');
      await choose(page, 'Runner pool', 'lab');
      // Only pinned hosts without a jump host of their own are offered: "locked" was never pinned.
      await page.getByRole('combobox', { name: 'Jump host', exact: true }).click();
      await expect.poll(() => page.getByRole('option').allTextContents()).toEqual(['bastion']);
      await page.getByRole('option', { name: 'bastion', exact: true }).click();
      await page.getByRole('button', { name: 'Add host' }).click();
      await eventually(
        () => page.getByRole('status').filter({ hasText: 'Added inner.' }).count(),
        20_000,
      ).toBe(1);
      await eventually(() => page.getByText('via jump host bastion').count(), 20_000).toBe(1);

      await page.getByRole('button', { name: 'Test connection to inner' }).click();
      await eventually(() => page.getByLabel('Hops').allTextContents()).toContain(
        'jump bastion: ok → target inner: ok',
      );
      await checkPage(page, 'hosts-jump');
      assertClean();
    });

    it('shows an imported EKS kubeconfig as an EKS cluster with its name, region and role', async () => {
      const kubeconfig = stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'eks', cluster: { server: 'https://abcdef.gr7.eu-west-1.eks.amazonaws.com' } }],
        users: [
          {
            name: 'eks',
            user: {
              exec: {
                command: 'aws',
                args: [
                  'eks',
                  'get-token',
                  '--cluster-name',
                  'shop',
                  '--role-arn',
                  'arn:aws:iam::123456789012:role/eks-deployer',
                ],
              },
            },
          },
        ],
        contexts: [{ name: 'eks', context: { cluster: 'eks', user: 'eks' } }],
        'current-context': 'eks',
      });
      const imported = await api('POST', '/clusters/import', {
        project_id: ids.project,
        name: 'shop',
        mode: 'kubeconfig',
        kubeconfig,
      });
      expect(imported.status, imported.text).toBe(201);
      const { page, assertClean } = await web.signedIn('admin', ADMIN_PASSWORD);
      await navigate(page, '/clusters');
      await eventually(() => page.getByText('EKS shop in eu-west-1', { exact: false }).count(), 20_000).toBe(
        1,
      );
      await eventually(
        () => page.getByText('as role arn:aws:iam::123456789012:role/eks-deployer', { exact: false }).count(),
        20_000,
      ).toBe(1);
      await checkPage(page, 'clusters-eks');
      assertClean();
    });

    it('lists a preview’s access checks with source and age; the SSH_AUTH host fails', async () => {
      const svc = await api('POST', '/services', {
        project_id: ids.project,
        name: 'web',
        compose_file: `services:\n  web:\n    image: registry.local/web:\${TAG}\n`,
      });
      expect(svc.status, svc.text).toBe(201);
      const target = await api('POST', '/deploy/targets', {
        project_id: ids.project,
        environment_id: ids.env,
        name: 'pair',
        runtime_type: 'compose',
        host_ids: [ids.bastion, ids.locked],
        compose_project: 'web',
      });
      expect(target.status, target.text).toBe(201);
      const pv = await api('POST', '/deploy/releases/preview', {
        service_id: svc.json.id,
        target_id: target.json.id,
        variables: { TAG: '1' },
      });
      expect(pv.status, pv.text).toBe(201);
      const { page, assertClean } = await web.signedIn('admin', ADMIN_PASSWORD);
      await navigate(page, `/releases/${pv.json.id}`);
      const checks = page.getByRole('list', { name: 'Checks' });
      await eventually(() => checks.getByText(/host_access — fail: .*SSH_AUTH/).count(), 20_000).toBe(1);
      await eventually(() => checks.getByText(/^from host locked test \(job .*\), \d+ s ago$/).count()).toBe(
        1,
      );
      await eventually(() => checks.getByText(/host_access — pass/).count()).toBe(1);
      await checkPage(page, 'release-access-checks');
      assertClean();
    });
  },
);
