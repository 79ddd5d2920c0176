import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSealingKeyPair } from '../../shared/crypto/sealed-box';
import type { Answer } from '../e2e/server-process';
import { type Stack, startStack } from '../e2e/stack';
import { backends, freshDatabase, type TestDatabase } from '../support/databases';
import { Browsing, browserTestsAvailable, checkPage, ensureWebBuilt, navigate } from './harness';

/**
 * A release's steps on its page (SPEC §7.4 "Release steps", "Retention"): each step's host,
 * attempt, status, times, error code and, unfolded, its output with the release's secret masked;
 * once the sweep has removed output past K8SM_RETENTION_DAYS the page says so. The runner is this
 * test speaking the runner protocol (claim, steps, complete), so no SSH host or engine is needed;
 * the platform runs on a Postgres database of its own, which the test ages by SQL as time would.
 */
const available = browserTestsAvailable();
const withPostgres = (await backends()).includes('postgres');

const PASSWORD = 'browser test password long enough';
const SECRET = `sk-steps-${Math.random().toString(36).slice(2)}`;
const COMPOSE = `services:
  web:
    image: registry.invalid/web:\${TAG}
    environment:
      API_KEY: \${API_KEY}
`;

describe.skipIf(!available || !withPostgres)('release steps in a real browser', { timeout: 180_000 }, () => {
  let db: TestDatabase;
  let stack: Stack;
  const web = new Browsing();
  let origin = '';
  let release = '';
  let host = '';
  let job = '';

  const api = (method: string, path: string, body?: unknown, token?: string): Promise<Answer> =>
    stack.api(method, path, body, token);
  const ok = (a: Answer, status = 200) => {
    expect(a.status, a.text).toBe(status);
    return a.json;
  };

  beforeAll(async () => {
    await ensureWebBuilt();
    db = await freshDatabase('postgres');
    stack = await startStack({ DATABASE_URL: db.url! });
    origin = `http://127.0.0.1:${stack.server.port}`;
    const project = ok(await api('POST', '/projects', { name: 'shop' }), 201).id;
    const pool = ok(await api('POST', '/runner-pools', { name: 'lab', project_id: project }), 201).id;
    const dev = ok(
      await api('POST', '/environments', {
        project_id: project,
        name: 'dev',
        tier: 'development',
        runner_pool_id: pool,
      }),
      201,
    ).id;
    const cred = ok(
      await api('POST', '/credentials', {
        project_id: project,
        name: 'ops-password',
        kind: 'ssh_password',
        payload: { password: 'an ssh password nobody dials with' },
      }),
      201,
    ).id;
    host = ok(
      await api('POST', '/hosts', {
        project_id: project,
        name: 'lab-1',
        address: '10.0.0.5',
        username: 'deploy',
        credential_id: cred,
      }),
      201,
    ).id;
    const target = ok(
      await api('POST', '/deploy/targets', {
        project_id: project,
        environment_id: dev,
        name: 'dev-web',
        runtime_type: 'compose',
        host_ids: [host],
        compose_project: 'web',
      }),
      201,
    ).id;
    const service = ok(
      await api('POST', '/services', {
        project_id: project,
        name: 'web',
        compose_file: COMPOSE,
        secret_variables: ['API_KEY'],
      }),
      201,
    ).id;
    await api('POST', '/users', { username: 'viewer', password: PASSWORD });
    await api('POST', '/role-bindings', { username: 'viewer', role: 'viewer', project_id: project });

    const pv = ok(
      await api('POST', '/deploy/releases/preview', {
        service_id: service,
        target_id: target,
        variables: { TAG: 'v1', API_KEY: SECRET },
      }),
      201,
    );
    release = pv.release_id;
    ok(await api('POST', '/deploy/releases/apply', { preview_ref: pv.preview_ref }), 202);

    // The runner: registered with a key of its own, it claims the job and fails on the host,
    // printing the secret as a careless command would.
    const reg = ok(await api('POST', `/runner-pools/${pool}/registration-tokens`, {}), 201);
    const runner = ok(
      await api('POST', '/runner/register', {
        registration_token: reg.token,
        name: 'r1',
        labels: {},
        public_key: generateSealingKeyPair().publicKey,
      }),
      201,
    );
    const as = (method: string, path: string, body: unknown) => api(method, path, body, runner.runner_token);
    const claim = ok(await as('POST', '/runner/jobs/claim', { wait_seconds: 5 }));
    job = claim.job.id;
    const lease_token = claim.job.lease_token;
    ok(
      await as('POST', `/runner/jobs/${job}/steps`, {
        lease_token,
        name: `compose.pull.${host}`,
        attempt: 1,
        status: 'succeeded',
        host_id: host,
        output: 'Pulling web ... done',
      }),
    );
    ok(
      await as('POST', `/runner/jobs/${job}/steps`, {
        lease_token,
        name: `compose.up.${host}`,
        attempt: 1,
        status: 'failed',
        host_id: host,
        error_code: 'COMPOSE_FAILED',
        output: `Creating web ... error\nAPI_KEY=${SECRET} rejected`,
        detail: { message: 'docker-compose up -d failed: Creating web ... error' },
      }),
    );
    ok(
      await as('POST', `/runner/jobs/${job}/complete`, {
        lease_token,
        status: 'failed',
        error_code: 'COMPOSE_FAILED',
        diagnostics: {
          hosts: [
            {
              host_id: host,
              compose: 'v1',
              failed_step: 'compose.up',
              stderr_tail: `ERROR: API_KEY=${SECRET} rejected`,
              services: [],
            },
          ],
        },
      }),
    );
    await web.start(origin);
  }, 180_000);

  afterAll(async () => {
    await web.close();
    await stack?.stop();
    await db?.drop();
  }, 60_000);

  async function releasePage() {
    const t = await web.signedIn('viewer', PASSWORD);
    await navigate(t.page, `/releases/${release}`);
    await expect.poll(() => t.page.getByTestId('lifecycle-state').textContent()).toBe('failed');
    return t;
  }

  it("shows each step's host, attempt, status and error code, and its output with the secret as ***", async () => {
    const { page, assertClean } = await releasePage();
    const steps = page.getByRole('region', { name: 'Steps' });
    const failed = steps.getByRole('button', { name: `Step compose.up.${host} on lab-1: failed` });
    await failed.waitFor();
    const header = (await failed.textContent()) ?? '';
    // The host by its name, as the hosts page shows it.
    for (const shown of ['failed', 'attempt 1', 'host lab-1', 'COMPOSE_FAILED'])
      expect(header).toContain(shown);
    // Folded until asked for.
    const output = page.getByLabel(`Output of compose.up.${host}`);
    expect(await output.isVisible()).toBe(false);
    await failed.click();
    await expect.poll(() => output.isVisible()).toBe(true);
    expect(await output.textContent()).toBe('Creating web ... error\nAPI_KEY=*** rejected');
    expect(await page.content()).not.toContain(SECRET);
    await checkPage(page, 'release-steps');
    assertClean();
  });

  it('says output older than the retention was removed once the sweep took it, keeping the summary', async () => {
    // 91 days ago, as far as retention can tell.
    await db.database.query(
      `update job_steps set started_at = now() - interval '91 days', finished_at = now() - interval '91 days'
       where job_id = $1`,
      [job],
    );
    await db.database.query(`update releases set updated_at = now() - interval '91 days' where id = $1`, [
      release,
    ]);
    // The local server sweeps every few seconds.
    await expect
      .poll(async () => (await api('GET', `/deploy/releases/${release}`)).json.diagnostics_trimmed, {
        timeout: 60_000,
        interval: 500,
      })
      .toBe(true);

    const { page, assertClean } = await releasePage();
    const note = 'Output older than 90 days was removed.';
    await expect.poll(() => page.getByTestId('steps-trimmed').textContent()).toBe(note);
    expect(await page.getByTestId('diagnostics-trimmed').textContent()).toContain(note);
    // The summary stays: which step failed, with which code.
    expect(await page.getByTestId('diagnostic-error').textContent()).toBe('COMPOSE_FAILED');
    expect(await page.getByTestId('diagnostic-step').textContent()).toBe('compose.up');
    expect(await page.getByTestId('diagnostic-host-output').count()).toBe(0);
    const failed = page.getByRole('button', { name: `Step compose.up.${host} on lab-1: failed` });
    await failed.click();
    const panel = page.getByRole('region', { name: 'Steps' });
    // The note above the steps, and in place of the unfolded step's output.
    await expect.poll(() => panel.getByText(note).filter({ visible: true }).count()).toBe(2);
    expect(await page.getByLabel(`Output of compose.up.${host}`).count()).toBe(0);
    await checkPage(page, 'release-steps-trimmed');
    assertClean();
  });
});
