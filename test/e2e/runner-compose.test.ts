import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMPOSE_LAB_PEERS, type ComposeLab, startComposeLab } from '../peers/compose-lab';
import { projectImages } from '../peers/docker';
import { peerAvailable } from '../peers/require';
import { startSshd } from '../peers/sshd';
import { seedComposeStages } from '../support/ssh-host';
import type { Answer } from './server-process';
import { type Stack, startStack } from './stack';

/**
 * A compose release landing for real: `npm start` on the embedded database, the runner process
 * (`npm run runner`), a real sshd whose sessions reach a real Docker engine, and a real image
 * registry with offline-built images. Nothing here reaches into the platform's or the runner's
 * modules: it is what a user sees through the API and on the host.
 */
const available = peerAvailable(COMPOSE_LAB_PEERS);

const SECRET = `sk-e2e-${Math.random().toString(36).slice(2)}`;
// The hosts are this machine: compose files land in its home, so names are per run.
const DEV_PROJECT = `webdev-${process.pid}`;
const PROD_PROJECT = `webprod-${process.pid}`;

// The container becomes healthy DELAY seconds after it starts: long enough to kill a runner
// mid-job, short enough to keep the suite quick.
const COMPOSE = `services:
  web:
    image: \${REGISTRY}/web:\${TAG}
    init: true
    command: ["sh", "-c", "sleep \${DELAY}; echo ready > /tmp/ready; exec sleep 3600"]
    environment:
      API_KEY: \${API_KEY}
    healthcheck:
      test: ["CMD", "sh", "-c", "cat /tmp/ready"]
      interval: 1s
      timeout: 2s
      retries: 120
`;

describe.skipIf(!available)(
  'a compose release through a real runner, sshd, Docker engine and registry',
  { timeout: 180_000 },
  () => {
    let lab: ComposeLab;
    let stack: Stack;
    let approver: string;
    const ids = {} as Record<
      'pool' | 'dev' | 'prod' | 'host' | 'devTarget' | 'prodTarget' | 'service',
      string
    >;

    const api = (method: string, path: string, body?: unknown, token?: string): Promise<Answer> =>
      stack.api(method, path, body, token);
    const startRunner = (name: string) => stack.startRunner(ids.pool, name);

    const waitRelease = (id: string, states: string[], timeoutMs = 120_000) =>
      stack.waitRelease(id, states, timeoutMs);

    async function stepsOf(releaseId: string): Promise<[string, number, string][]> {
      const items = (await api('GET', `/deploy/releases/${releaseId}/timeline`)).json.items;
      return items
        .filter((e: { action: string }) => e.action === 'job.step_recorded')
        .map((e: { detail: { step: string; attempt: number }; status: string }) => [
          e.detail.step,
          e.detail.attempt,
          e.status,
        ]);
    }

    async function release(target: string, tag: string, delay = 0) {
      const pv = await api('POST', '/deploy/releases/preview', {
        service_id: ids.service,
        target_id: target,
        variables: { REGISTRY: lab.registry.address, TAG: tag, DELAY: String(delay), API_KEY: SECRET },
      });
      expect(pv.status, pv.text).toBe(201);
      const ap = await api('POST', '/deploy/releases/apply', { preview_ref: pv.json.preview_ref });
      expect(ap.status, ap.text).toBe(202);
      return ap.json;
    }

    beforeAll(async () => {
      lab = await startComposeLab({ tags: ['v1', 'v2'] });
      stack = await startStack({ K8SM_JOB_LEASE_SECONDS: '15' });
      const s = await seedComposeStages(api, lab.sshd, {
        composeFile: COMPOSE,
        secretVariables: ['API_KEY'],
        composeProjects: { dev: DEV_PROJECT, prod: PROD_PROJECT },
      });
      Object.assign(ids, s, { dev: s.envs.dev, prod: s.envs.prod });
      approver = await stack.member('approver', 'approver', s.project);
      await startRunner('runner-a');
    }, 180_000);

    afterAll(async () => {
      await stack?.stop();
      await lab?.stop();
    }, 120_000);

    it('lands a release: the container runs the image, runner steps are on the timeline, the host key is pinned', async () => {
      const r = await release(ids.devTarget, 'v1');
      const done = await waitRelease(r.release_id, ['applied', 'failed']);
      expect(done.lifecycle_state, JSON.stringify(done.diagnostics_json)).toBe('applied');
      expect(await projectImages(lab.engine.host, DEV_PROJECT)).toEqual([`${lab.registry.address}/web:v1`]);
      const timeline = (await api('GET', `/deploy/releases/${r.release_id}/timeline`)).json.items;
      const steps = timeline.filter((e: { action: string }) => e.action === 'job.step_recorded');
      expect(steps.length).toBeGreaterThan(4);
      expect(steps.every((e: { source: string }) => e.source === 'runner')).toBe(true);
      expect(timeline.map((e: { action: string }) => e.action)).toContain('release.applied');
      const host = await api('GET', `/hosts/${ids.host}`);
      expect(host.json.host_key_fingerprint).toBe(lab.sshd.hostKeyFingerprint);
      const runners = await api('GET', `/runners?runner_pool_id=${ids.pool}`);
      expect(runners.json.items[0]).toMatchObject({ online: true, name: 'runner-a' });
      // What the platform stored and returned never holds the secret value.
      expect(JSON.stringify(done)).not.toContain(SECRET);
      expect(JSON.stringify(timeline)).not.toContain(SECRET);
    });

    it('upgrades, then rolls back to the previous image', async () => {
      const up = await release(ids.devTarget, 'v2');
      expect((await waitRelease(up.release_id, ['applied', 'failed'])).lifecycle_state).toBe('applied');
      expect(await projectImages(lab.engine.host, DEV_PROJECT)).toEqual([`${lab.registry.address}/web:v2`]);
      const rb = await api('POST', `/deploy/releases/${up.release_id}/rollback/preview`, {});
      expect(rb.status, rb.text).toBe(201);
      const ap = await api('POST', '/deploy/releases/apply', { preview_ref: rb.json.preview_ref });
      expect(ap.status, ap.text).toBe(202);
      expect((await waitRelease(rb.json.release_id, ['applied', 'failed'])).lifecycle_state).toBe('applied');
      expect(await projectImages(lab.engine.host, DEV_PROJECT)).toEqual([`${lab.registry.address}/web:v1`]);
      expect((await api('GET', `/deploy/releases/${up.release_id}`)).json.lifecycle_state).toBe('rollback');
    });

    it('fails a tag the registry does not have, with the registry error in diagnostics', async () => {
      const r = await release(ids.devTarget, 'v9-missing');
      const done = await waitRelease(r.release_id, ['applied', 'failed']);
      expect(done.lifecycle_state).toBe('failed');
      expect(done.diagnostics_json.error_code).toBe('IMAGE_PULL_FAILED');
      expect(JSON.stringify(done.diagnostics_json)).toMatch(/manifest unknown|not found/i);
      // The running containers are untouched.
      expect(await projectImages(lab.engine.host, DEV_PROJECT)).toEqual([`${lab.registry.address}/web:v1`]);
    });

    it('lands production only once a second person approved it in the inbox', async () => {
      const r = await release(ids.prodTarget, 'v2');
      expect(r.lifecycle_state).toBe('pending_approval');
      await new Promise((res) => setTimeout(res, 1500));
      expect(await projectImages(lab.engine.host, PROD_PROJECT)).toEqual([]);
      const d = await api(
        'POST',
        `/approvals/inbox/${r.approval_ticket}/decision`,
        { decision: 'approve', comment: 'ok' },
        approver,
      );
      expect(d.status, d.text).toBe(200);
      expect((await waitRelease(r.release_id, ['applied', 'failed'])).lifecycle_state).toBe('applied');
      expect(await projectImages(lab.engine.host, PROD_PROJECT)).toEqual([`${lab.registry.address}/web:v2`]);
    });

    it('finishes on another runner when the first is killed mid-job, recording no step twice', async () => {
      const r = await release(ids.devTarget, 'v2', 12);
      await waitRelease(r.release_id, ['applying'], 60_000);
      // Mid-job: the first runner is waiting for the container to become healthy.
      const deadline = Date.now() + 60_000;
      while (
        Date.now() < deadline &&
        !(await stepsOf(r.release_id)).some((s) => s[0].startsWith('compose.wait'))
      )
        await new Promise((res) => setTimeout(res, 200));
      const first = stack.runners[0]!;
      process.kill(-first.pid, 'SIGKILL');
      await first.exited;
      await startRunner('runner-b');
      const done = await waitRelease(r.release_id, ['applied', 'failed'], 150_000);
      expect(done.lifecycle_state, JSON.stringify(done.diagnostics_json)).toBe('applied');
      expect(await projectImages(lab.engine.host, DEV_PROJECT)).toEqual([`${lab.registry.address}/web:v2`]);
      const steps = (await stepsOf(r.release_id)).map((x) => JSON.stringify(x));
      expect(new Set(steps).size).toBe(steps.length);
      // Both attempts are there: the first runner's partial one and the second's whole one.
      const attempts = new Set(steps.map((s: string) => JSON.parse(s)[1]));
      expect([...attempts].sort()).toEqual([1, 2]);
    }, 240_000);

    it('lands a release through a jump host, and refuses one when the jump host’s key changed, naming it', async () => {
      const bastion = await startSshd();
      try {
        const project = (await api('GET', `/hosts/${ids.host}`)).json.project_id;
        const cred = await api('POST', '/credentials', {
          project_id: project,
          name: 'bastion-key',
          kind: 'ssh_private_key',
          payload: { private_key: bastion.privateKey },
        });
        const jump = await api('POST', '/hosts', {
          project_id: project,
          name: 'bastion',
          address: bastion.address,
          port: bastion.port,
          username: bastion.username,
          credential_id: cred.json.id,
          runner_pool_id: ids.pool,
        });
        expect(jump.status, jump.text).toBe(201);
        // A jump host's key must be pinned first: its connection test pins it.
        await api('POST', `/hosts/${jump.json.id}/test-connection`, {});
        const deadline = Date.now() + 60_000;
        while (
          Date.now() < deadline &&
          !(await api('GET', `/hosts/${jump.json.id}`)).json.host_key_fingerprint
        )
          await new Promise((res) => setTimeout(res, 300));
        const set = await api('PATCH', `/hosts/${ids.host}`, { jump_host_id: jump.json.id });
        expect(set.status, set.text).toBe(200);

        const r = await release(ids.devTarget, 'v2');
        const done = await waitRelease(r.release_id, ['applied', 'failed']);
        expect(done.lifecycle_state, JSON.stringify(done.diagnostics_json)).toBe('applied');
        expect(await projectImages(lab.engine.host, DEV_PROJECT)).toEqual([`${lab.registry.address}/web:v2`]);

        const before = await projectImages(lab.engine.host, DEV_PROJECT);
        await bastion.rotateHostKey();
        const bad = await release(ids.devTarget, 'v1');
        const failed = await waitRelease(bad.release_id, ['applied', 'failed']);
        expect(failed.lifecycle_state).toBe('failed');
        expect(failed.diagnostics_json.error_code).toBe('HOST_KEY_MISMATCH');
        // The failed connect step names the jump host whose key changed.
        const steps = (await api('GET', `/deploy/releases/${bad.release_id}/steps`)).json.items as {
          name: string;
          status: string;
          error_code: string | null;
          output: string | null;
        }[];
        const connect = steps.find((x) => x.status === 'failed');
        expect(connect, JSON.stringify(steps)).toMatchObject({
          name: `ssh.connect.${ids.host}`,
          error_code: 'HOST_KEY_MISMATCH',
        });
        expect(connect?.output).toMatch(/via jump host bastion: host key of bastion/);
        expect(await projectImages(lab.engine.host, DEV_PROJECT)).toEqual(before);
      } finally {
        await api('PATCH', `/hosts/${ids.host}`, { jump_host_id: null });
        await bastion.stop();
      }
    });

    it('refuses a host whose key changed: HOST_KEY_MISMATCH and nothing changes on it', async () => {
      const before = await projectImages(lab.engine.host, DEV_PROJECT);
      await lab.sshd.rotateHostKey();
      const r = await release(ids.devTarget, 'v1');
      const done = await waitRelease(r.release_id, ['applied', 'failed']);
      expect(done.lifecycle_state).toBe('failed');
      expect(done.diagnostics_json.error_code).toBe('HOST_KEY_MISMATCH');
      expect(await projectImages(lab.engine.host, DEV_PROJECT)).toEqual(before);
    });
  },
);
