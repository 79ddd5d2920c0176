import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMPOSE_LAB_PEERS, type ComposeLab, startComposeLab, WEB_COMPOSE } from '../peers/compose-lab';
import { projectImages } from '../peers/docker';
import { peerAvailable } from '../peers/require';
import { seedComposeStages } from '../support/ssh-host';
import type { Answer } from './server-process';
import { type Stack, startStack } from './stack';

/**
 * A sentence to the AI bridge landing for real (SPEC §7.3): `npm start`, the runner process, a real
 * sshd reaching a real Docker engine and a real registry. The command's variables other than the
 * version come from the target's applied release; production waits in the one inbox.
 */
const available = peerAvailable(COMPOSE_LAB_PEERS);

const SECRET = `sk-e2e-ai-${Math.random().toString(36).slice(2)}`;
const DEV_PROJECT = `aidev-${process.pid}`;
const PROD_PROJECT = `aiprod-${process.pid}`;

describe.skipIf(!available)(
  'the AI bridge through a real runner, sshd, Docker engine and registry',
  { timeout: 240_000 },
  () => {
    let lab: ComposeLab;
    let stack: Stack;
    let approver: string;
    const ids = {} as Record<'pool' | 'devTarget' | 'prodTarget' | 'service', string>;

    const api = (method: string, path: string, body?: unknown, token?: string): Promise<Answer> =>
      stack.api(method, path, body, token);

    const waitRelease = (id: string, states: string[]) => stack.waitRelease(id, states);

    /** The first release of a target, through the Deploy API: what the command's variables come from. */
    async function seed(target: string) {
      const pv = await api('POST', '/deploy/releases/preview', {
        service_id: ids.service,
        target_id: target,
        variables: { REGISTRY: lab.registry.address, TAG: '1.0', API_KEY: SECRET },
      });
      expect(pv.status, pv.text).toBe(201);
      const ap = await api('POST', '/deploy/releases/apply', { preview_ref: pv.json.preview_ref });
      if (ap.json.lifecycle_state === 'pending_approval')
        await api(
          'POST',
          `/approvals/inbox/${ap.json.approval_ticket}/decision`,
          { decision: 'approve' },
          approver,
        );
      expect((await waitRelease(ap.json.id, ['applied', 'failed'])).lifecycle_state).toBe('applied');
    }

    beforeAll(async () => {
      lab = await startComposeLab({ tags: ['1.0', '1.30'] });
      stack = await startStack();
      const s = await seedComposeStages(api, lab.sshd, {
        composeFile: WEB_COMPOSE,
        secretVariables: ['API_KEY'],
        composeProjects: { dev: DEV_PROJECT, prod: PROD_PROJECT },
      });
      Object.assign(ids, s);
      approver = await stack.member('approver', 'approver', s.project);
      await stack.startRunner(ids.pool, 'runner-ai');
      await seed(ids.devTarget);
      await seed(ids.prodTarget);
    }, 240_000);

    afterAll(async () => {
      await stack?.stop();
      await lab?.stop();
    }, 120_000);

    it('"deploy web 1.30 to development" lands on the host after one confirm', async () => {
      const cmd = await api('POST', '/ai/commands', { text: 'deploy web 1.30 to development' });
      expect(cmd.status, cmd.text).toBe(201);
      expect(cmd.json).toMatchObject({ intent: 'deploy', status: 'previewed' });
      expect(cmd.json.preview.diff.unified).toContain('web:1.30');
      const ok = await api('POST', `/ai/commands/${cmd.json.id}/confirm`);
      expect(ok.status, ok.text).toBe(200);
      const done = await waitRelease(ok.json.release_id, ['applied', 'failed']);
      expect(done.lifecycle_state, JSON.stringify(done.diagnostics_json)).toBe('applied');
      expect(await projectImages(lab.engine.host, DEV_PROJECT)).toEqual([`${lab.registry.address}/web:1.30`]);
      expect(JSON.stringify([cmd.json, ok.json, done])).not.toContain(SECRET);
    });

    it('the same in production waits in the inbox until a second person approves', async () => {
      const cmd = await api('POST', '/ai/commands', { text: 'deploy web 1.30 to production' });
      expect(cmd.json.status, cmd.text).toBe('previewed');
      const ok = await api('POST', `/ai/commands/${cmd.json.id}/confirm`);
      const waiting = await api('GET', `/deploy/releases/${ok.json.release_id}`);
      expect(waiting.json.lifecycle_state).toBe('pending_approval');
      await new Promise((res) => setTimeout(res, 2000));
      expect(await projectImages(lab.engine.host, PROD_PROJECT)).toEqual([`${lab.registry.address}/web:1.0`]);
      const inbox = await api('GET', '/approvals/inbox?status=pending', undefined, approver);
      expect(inbox.json.items.map((t: { id: string }) => t.id)).toContain(waiting.json.approval_ticket);
      const decided = await api(
        'POST',
        `/approvals/inbox/${waiting.json.approval_ticket}/decision`,
        { decision: 'approve' },
        approver,
      );
      expect(decided.status, decided.text).toBe(200);
      const done = await waitRelease(ok.json.release_id, ['applied', 'failed']);
      expect(done.lifecycle_state, JSON.stringify(done.diagnostics_json)).toBe('applied');
      expect(await projectImages(lab.engine.host, PROD_PROJECT)).toEqual([
        `${lab.registry.address}/web:1.30`,
      ]);
    });
  },
);
