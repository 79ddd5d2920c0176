import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { peerAvailable } from '../peers/require';
import { type SshPeer, startSshd } from '../peers/sshd';
import { seedSshHost } from '../support/ssh-host';
import type { Answer } from './server-process';
import { type Stack, startStack } from './stack';

/**
 * From a bare host to a deploy target, as a user does it: `npm start`, the runner process with the
 * checkout's `script/` bundles, a real sshd, and the synthetic compose bundle installed into a
 * prefix (a temp dir) so the machine itself is untouched. Everything goes through the API.
 */
const available = peerAvailable(['sshd', 'ssh-keygen', 'sha256sum']);
const VERSION = '24.0.7-synth';

/** Every file and directory under `dir`, with its mode: what "as it was" means for a host. */
function listing(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const st = statSync(p);
      out.push(`${relative(dir, p)} ${st.mode.toString(8)}`);
      if (st.isDirectory()) walk(p);
    }
  };
  walk(dir);
  return out;
}

describe.skipIf(!available)(
  'installing a runtime on a bare host through the runner',
  { timeout: 180_000 },
  () => {
    let sshd: SshPeer;
    let stack: Stack;
    let prefix: string;
    const ids = {} as Record<'project' | 'pool' | 'dev' | 'prod' | 'host', string>;
    const api = (method: string, path: string, body?: unknown) => stack.api(method, path, body);

    async function waitTask(env: string, task: string, states: string[], timeoutMs = 120_000) {
      const deadline = Date.now() + timeoutMs;
      let t: Answer | undefined;
      while (Date.now() < deadline) {
        t = await api('GET', `/environments/${env}/install/tasks/${task}`);
        if (states.includes(t.json.status)) return t.json;
        await new Promise((r) => setTimeout(r, 300));
      }
      throw new Error(
        `task ${task} still ${t?.json.status} after ${timeoutMs} ms: ${t?.text}\nrunner: ${stack.runners[0]?.stderr().slice(-3000)}`,
      );
    }

    beforeAll(async () => {
      sshd = await startSshd();
      stack = await startStack();
      prefix = stack.tmp('k8sm-install-prefix-');
      const s = await seedSshHost(api, sshd, {
        project: 'infra',
        pool: 'dc1',
        host: 'bare-1',
        envs: { dev: 'development', prod: 'production' },
      });
      Object.assign(ids, {
        project: s.project,
        pool: s.pool,
        host: s.host,
        dev: s.envs.dev,
        prod: s.envs.prod,
      });
      await stack.startRunner(ids.pool);
    }, 120_000);

    afterAll(async () => {
      await stack?.stop();
      await sshd?.stop();
    }, 60_000);

    let before: string[];
    let taskId: string;

    it('installs the synthetic compose bundle into a prefix and registers a compose target', async () => {
      before = listing(prefix);
      const r = await api('POST', `/environments/${ids.dev}/install`, {
        runtime: 'compose',
        version: VERSION,
        host_ids: [ids.host],
        options: { prefix },
      });
      expect(r.status, r.text).toBe(202);
      taskId = r.json.id;
      const done = await waitTask(ids.dev, taskId, ['succeeded', 'failed']);
      expect(done.status, JSON.stringify(done.result)).toBe('succeeded');
      expect(done.progress_percent).toBe(100);
      const host = done.steps.find((h: { host_id: string }) => h.host_id === ids.host);
      expect(host.steps.map((s: { status: string }) => s.status)).not.toContain('failed');
      expect(host.steps.length).toBeGreaterThanOrEqual(8);
      const target = await api('GET', `/deploy/targets/${done.registered.target_id}`);
      expect(target.json).toMatchObject({ runtime_type: 'compose', host_ids: [ids.host] });
      const events = await api(
        'GET',
        `/audit/events?action=environment.install_step_succeeded&resource_id=${ids.dev}`,
      );
      expect(events.json.items.length).toBeGreaterThanOrEqual(8);
      const logs = await api('GET', `/environments/${ids.dev}/install/tasks/${taskId}/logs`);
      expect(logs.status).toBe(200);
    });

    it('says so when the same version is installed again, and changes nothing', async () => {
      const after = listing(prefix);
      const r = await api('POST', `/environments/${ids.dev}/install`, {
        runtime: 'compose',
        version: VERSION,
        host_ids: [ids.host],
        options: { prefix },
      });
      const done = await waitTask(ids.dev, r.json.id, ['succeeded', 'failed']);
      expect(done.status).toBe('succeeded');
      expect(done.result.hosts[0].already).toBe(true);
      expect(listing(prefix).filter((l) => !l.startsWith('var/log'))).toEqual(
        after.filter((l) => !l.startsWith('var/log')),
      );
    });

    it('waits for a second person in production', async () => {
      const r = await api('POST', `/environments/${ids.prod}/install`, {
        runtime: 'compose',
        version: VERSION,
        host_ids: [ids.host],
        options: { prefix },
      });
      expect(r.status, r.text).toBe(202);
      expect(r.json.status).toBe('pending_approval');
      expect(r.json.approval_ticket).toBeTruthy();
    });

    it('uninstalls back to the host as it was', async () => {
      const r = await api('POST', `/environments/${ids.dev}/uninstall`, { host_ids: [ids.host] });
      expect(r.status, r.text).toBe(202);
      const done = await waitTask(ids.dev, r.json.id, ['succeeded', 'failed']);
      expect(done.status, JSON.stringify(done.result)).toBe('succeeded');
      expect(listing(prefix)).toEqual(before);
    });
  },
);
