// biome-ignore-all lint/suspicious/noTemplateCurlyInString: image and compose templates with ${VAR} placeholders are the subject under test
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sign as githubSign } from '@octokit/webhooks-methods';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMPOSE_LAB_PEERS, type ComposeLab, startComposeLab } from '../peers/compose-lab';
import { projectImages } from '../peers/docker';
import { peerAvailable } from '../peers/require';
import { seedComposeStages } from '../support/ssh-host';
import type { Answer } from './server-process';
import { type Stack, startStack } from './stack';

/**
 * SPEC §7.2 end to end: GitHub signs a `workflow_run` delivery (with GitHub's own library, on a
 * real payload), the platform records the build, the CD policies preview and apply it as the user
 * who saved them, and the runner lands it on a real sshd + Docker engine from a real registry.
 * Only the API and the host are looked at.
 */
const available = peerAvailable(COMPOSE_LAB_PEERS);

const DEV_PROJECT = `cddev-${process.pid}`;
const PROD_PROJECT = `cdprod-${process.pid}`;
const COMPOSE = `services:
  web:
    image: \${IMAGE}
    init: true
    command: ["sh", "-c", "echo ready > /tmp/ready; exec sleep 3600"]
    healthcheck:
      test: ["CMD", "sh", "-c", "cat /tmp/ready"]
      interval: 1s
      timeout: 2s
      retries: 60
`;
const FIXTURE = JSON.parse(
  readFileSync(
    join(import.meta.dirname, '../../shared/ci/fixtures/github-workflow-run-completed.json'),
    'utf8',
  ),
);

type Deployment = {
  target_id: string;
  release_id: string | null;
  outcome: string;
  error_code: string | null;
};

describe.skipIf(!available)(
  'a signed build deployed by CD policies on real compose peers',
  { timeout: 300_000 },
  () => {
    let lab: ComposeLab;
    let stack: Stack;
    let pipeline: { id: string; webhook_secret: string };
    const ids = {} as Record<
      'project' | 'pool' | 'dev' | 'prod' | 'devTarget' | 'prodTarget' | 'service',
      string
    >;
    let n = 0;

    const api = (method: string, path: string, body?: unknown, token?: string): Promise<Answer> =>
      stack.api(method, path, body, token);

    /** The fixture's run, as GitHub sends it, for a commit and run number of the test's choosing. */
    const workflowRun = (sha: string, runNumber: number) =>
      JSON.stringify({
        ...FIXTURE,
        workflow_run: {
          ...FIXTURE.workflow_run,
          head_sha: sha,
          run_number: runNumber,
          id: 30433642 + runNumber,
        },
      });
    async function deliver(body: string, delivery = `gh-${process.pid}-${++n}`) {
      const res = await fetch(`http://127.0.0.1:${stack.server.port}/api/v1/ci/webhooks/${pipeline.id}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-github-event': 'workflow_run',
          'x-github-delivery': delivery,
          'x-hub-signature-256': await githubSign(pipeline.webhook_secret, body),
        },
        body,
      });
      expect(res.status).toBe(200);
      return (await res.json()) as { duplicate: boolean; build_id: string };
    }

    /** Polls the build until `done` holds for its deployments (the sweep runs every few seconds). */
    async function waitDeployments(buildId: string, done: (d: Deployment[]) => boolean, timeoutMs = 150_000) {
      const deadline = Date.now() + timeoutMs;
      let last: Deployment[] = [];
      while (Date.now() < deadline) {
        last = (await api('GET', `/ci/builds/${buildId}`)).json.deployments;
        if (done(last)) return last;
        await new Promise((r) => setTimeout(r, 500));
      }
      throw new Error(`build ${buildId} deployments still ${JSON.stringify(last)}`);
    }
    const of = (d: Deployment[], target: string) => d.filter((e) => e.target_id === target);
    const ended = (e: Deployment | undefined) =>
      ['applied', 'failed', 'refused', 'skipped'].includes(e?.outcome ?? '');

    beforeAll(async () => {
      // Only run 562's image exists: the next build's image cannot be pulled.
      lab = await startComposeLab({ tags: ['r562'] });
      stack = await startStack({ K8SM_JOB_LEASE_SECONDS: '15' });
      const s = await seedComposeStages(api, lab.sshd, {
        project: 'cd',
        pool: 'cd-lab',
        host: 'lab-1',
        composeFile: COMPOSE,
        composeProjects: { dev: DEV_PROJECT, prod: PROD_PROJECT },
      });
      Object.assign(ids, s, { dev: s.envs.dev, prod: s.envs.prod });
      const pip = await api('POST', '/ci/pipelines', {
        project_id: ids.project,
        service_id: ids.service,
        provider: 'github_actions',
        repository: 'octo-org/web',
        trigger: 'push',
        image: `${lab.registry.address}/web:r\${RUN_NUMBER}`,
      });
      expect(pip.status, pip.text).toBe(201);
      pipeline = pip.json;
      const dev = await api('PUT', `/cd/policies/${ids.service}/${ids.dev}`, {
        target_ids: [ids.devTarget],
        auto_preview_on_build: true,
        auto_apply: true,
        auto_rollback_on_failure: true,
      });
      expect(dev.status, dev.text).toBe(200);
      const prod = await api('PUT', `/cd/policies/${ids.service}/${ids.prod}`, {
        target_ids: [ids.prodTarget],
        auto_preview_on_build: true,
        auto_apply: true,
      });
      expect(prod.status, prod.text).toBe(200);
      await stack.startRunner(ids.pool, 'runner-cd');
    }, 240_000);

    afterAll(async () => {
      await stack?.stop();
      await lab?.stop();
    }, 120_000);

    let first: { build: string; devRelease: string };

    it('lands a succeeded run on development and leaves production waiting in the inbox', async () => {
      const body = workflowRun(FIXTURE.workflow_run.head_sha, 562);
      const d = await deliver(body, 'gh-first');
      expect(d.duplicate).toBe(false);
      const done = await waitDeployments(d.build_id, (x) => ended(of(x, ids.devTarget)[0]));
      const [dev] = of(done, ids.devTarget);
      expect(dev?.outcome).toBe('applied');
      expect(await projectImages(lab.engine.host, DEV_PROJECT)).toEqual([`${lab.registry.address}/web:r562`]);
      const [prod] = of(done, ids.prodTarget);
      expect(prod?.outcome).toBe('pending_approval');
      const release = (await api('GET', `/deploy/releases/${prod!.release_id}`)).json;
      const inbox = (await api('GET', `/approvals/inbox?project_id=${ids.project}`)).json.items as {
        id: string;
      }[];
      expect(inbox.map((t) => t.id)).toContain(release.approval_ticket);
      expect(await projectImages(lab.engine.host, PROD_PROJECT)).toEqual([]);
      expect((await api('GET', `/deploy/releases/${dev!.release_id}`)).json.build).toMatchObject({
        id: d.build_id,
        commit: FIXTURE.workflow_run.head_sha,
      });
      first = { build: d.build_id, devRelease: dev!.release_id! };

      // The same delivery again: answered as a duplicate, and nothing more is deployed.
      const again = await deliver(body, 'gh-first');
      expect(again).toMatchObject({ duplicate: true, build_id: d.build_id });
      await new Promise((r) => setTimeout(r, 7000));
      expect((await api('GET', `/ci/builds/${d.build_id}`)).json.deployments).toHaveLength(2);
      const releases = (await api('GET', `/deploy/releases?project_id=${ids.project}`)).json.items;
      expect(releases).toHaveLength(2);
    });

    it('rolls a release that failed on the peer back to the revision that ran before', async () => {
      const d = await deliver(workflowRun('7'.repeat(40), 563));
      const done = await waitDeployments(d.build_id, (x) => {
        const dev = of(x, ids.devTarget);
        return dev.length === 2 && ended(dev[1]);
      });
      const [failed, rollback] = of(done, ids.devTarget);
      // Followed to its end: the failed release, rolled back, is in `rollback` now.
      expect(failed?.outcome).toBe('rollback');
      const failure = (await api('GET', `/deploy/releases/${failed!.release_id}`)).json;
      expect(failure.diagnostics_json.error_code).toBe('IMAGE_PULL_FAILED');
      expect(rollback?.outcome).toBe('applied');
      const rb = (await api('GET', `/deploy/releases/${rollback!.release_id}`)).json;
      expect(rb).toMatchObject({ rollback_of: failed!.release_id });
      expect(await projectImages(lab.engine.host, DEV_PROJECT)).toEqual([`${lab.registry.address}/web:r562`]);
      const chain = (await api('GET', `/ci/releases/${rollback!.release_id}/chain`)).json;
      expect(chain.build).toMatchObject({ id: d.build_id, commit: '7'.repeat(40) });
      expect(
        chain.actors.find((a: { action: string }) => a.action === 'release.previewed').on_behalf_of,
      ).toBeTruthy();
      expect(first.build).not.toBe(d.build_id);
    });
  },
);
