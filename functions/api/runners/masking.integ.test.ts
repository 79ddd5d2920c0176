/**
 * SPEC §7.5: whatever a runner sends back (steps, output, diagnostics, result) is masked by the
 * platform with the secrets it sealed into that job, before it is stored. A runner that masks
 * nothing claims release jobs holding a secret variable and host or cluster credentials, echoes
 * every secret of its work order (and their base64) everywhere it can, and then no row of any
 * table holds one of them: the stored text shows `***` where they were.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClaimedJob } from '../../../shared/jobs/claim';
import { releaseApplyKind } from '../../../shared/jobs/release-apply';
import { backends } from '../../../test/support/databases';
import { COMPOSE_FILE, composeVars } from '../../../test/support/governance';
import { findLeaks, recordResponse } from '../../../test/support/leak-guard';
import { type Material, makeMaterial } from '../../../test/support/material';
import { createTestPlatform, type TestPlatform } from '../../../test/support/platform';
import { createPool, registerRunner, type TestRunner } from '../../../test/support/runners';
import { forgetSecrets } from './secrets';

/** A manifest that carries the secret variable, as the compose file does. */
const K8S_MANIFEST = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: web
          image: 127.0.0.1:5000/web:\${TAG}
          env:
            - name: API_KEY
              value: "\${API_KEY}"
`;

describe.each(await backends())('what a runner sends back, on %s', (backend) => {
  let p: TestPlatform;
  let m: Material;
  let admin: string;
  let project: string;
  let pool: string;
  let runner: TestRunner;
  let service: string;
  let composeTarget: string;
  let k8sTarget: string;

  const created = async (path: string, body: Record<string, unknown>) => {
    const r = await p.request('POST', path, { token: admin, body });
    expect(r.status, r.text).toBe(201);
    return r.json.id as string;
  };

  beforeAll(async () => {
    m = makeMaterial();
    p = await createTestPlatform(backend);
    admin = await p.adminToken();
    project = await created('/projects', { name: 'masked' });
    pool = await createPool(p, admin, 'mask-net', project);
    runner = await registerRunner(p, admin, pool, 'echoer');
    const env = await created('/environments', { project_id: project, name: 'dev', tier: 'development' });
    const bound = await p.request('PATCH', `/environments/${env}`, {
      token: admin,
      body: { runner_pool_id: pool },
    });
    expect(bound.status, bound.text).toBe(200);
    const cred = await created('/credentials', {
      project_id: project,
      name: 'deploy',
      kind: 'ssh_private_key',
      payload: { private_key: m.encryptedKey.private_key, passphrase: m.passphrase },
    });
    const host = await created('/hosts', {
      project_id: project,
      name: 'h1',
      address: '127.0.0.1',
      port: 2222,
      username: 'deploy',
      credential_id: cred,
      runner_pool_id: pool,
    });
    const cluster = (
      await p.request('POST', '/clusters/import', {
        token: admin,
        body: {
          project_id: project,
          name: 'c1',
          endpoint: 'https://127.0.0.1:6443',
          ca: m.pki.caPem,
          mode: 'token',
          token: m.token,
          runner_pool_id: pool,
        },
      })
    ).json.id as string;
    composeTarget = await created('/deploy/targets', {
      project_id: project,
      environment_id: env,
      name: 'dev-compose',
      runtime_type: 'compose',
      host_ids: [host],
      compose_project: 'web',
    });
    k8sTarget = await created('/deploy/targets', {
      project_id: project,
      environment_id: env,
      name: 'dev-k8s',
      runtime_type: 'k8s',
      cluster_id: cluster,
      namespace: 'web',
    });
    service = await created('/services', {
      project_id: project,
      name: 'web',
      compose_file: COMPOSE_FILE,
      k8s_manifest: K8S_MANIFEST,
      secret_variables: ['API_KEY'],
    });
  });
  afterAll(async () => {
    await p.close();
    m.cleanup();
  });

  async function applyRelease(target: string) {
    const variables = composeVars(`1.${Date.now() % 100000}`);
    const pv = await p.request('POST', '/deploy/releases/preview', {
      token: admin,
      body: { service_id: service, target_id: target, variables },
    });
    expect(pv.status, pv.text).toBe(201);
    const ap = await p.request('POST', '/deploy/releases/apply', {
      token: admin,
      body: { preview_ref: pv.json.preview_ref },
    });
    expect(ap.status, ap.text).toBe(202);
  }

  /** A runner that masks nothing: every secret of its work order, as is and in base64, everywhere. */
  async function echoEverything(c: ClaimedJob, status: 'succeeded' | 'failed', carried: boolean) {
    const order = runner.open(c);
    if (order.kind !== 'release_apply') throw new Error(`expected a release, got ${order.kind}`);
    const secrets = releaseApplyKind.secretsOf(order).filter((s): s is string => !!s);
    const said = secrets.flatMap((s) => [s, Buffer.from(s).toString('base64')]).join(' | ');
    const call = (path: string, body: Record<string, unknown>) =>
      runner.call('POST', `/runner/jobs/${c.job.id}/${path}`, { lease_token: c.job.lease_token, ...body });
    const echo = {
      name: 'echo',
      attempt: 1,
      status: 'failed',
      error_code: 'ECHOED',
      output: `said: ${said}`,
      detail: { message: `said: ${said}`, lines: [said], [secrets[0]!]: 'a key' },
    };
    if (!carried) {
      const step = await call('steps', echo);
      expect(step.status, step.text).toBe(200);
    }
    const done = await call('complete', {
      ...(carried ? { steps: [echo] } : {}),
      status,
      ...(status === 'failed' ? { error_code: 'APPLY_FAILED' } : {}),
      diagnostics: { message: `said: ${said}`, hosts: [{ logs_tail: said }] },
      result: { echoed: said },
    });
    expect(done.status, done.text).toBe(200);
    return secrets;
  }

  async function storedRows() {
    const db = p.deps.database;
    const tables = await db.query<{ table_name: string }>(
      "select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'",
    );
    const rows: string[] = [];
    for (const { table_name } of tables)
      for (const r of await db.query<{ row: string }>(`select t::text as row from "${table_name}" t`))
        rows.push(r.row);
    return rows.join('\n');
  }

  it('stores no secret of the work order a runner echoed, and shows *** where it was', async () => {
    const echoed: string[] = [];
    for (const [target, status] of [
      [composeTarget, 'succeeded'],
      [k8sTarget, 'failed'],
    ] as const) {
      await applyRelease(target);
      const c = await runner.claim();
      expect(c?.job.kind).toBe('release_apply');
      // The k8s job's reports reach an instance that did not hand out the claim: it rebuilds the list.
      if (target === k8sTarget) forgetSecrets(c!.job.id, c!.job.lease_token);
      // The k8s job's step goes with its completion, as a runner sends what it has not delivered yet.
      echoed.push(...(await echoEverything(c!, status, target === k8sTarget)));
    }
    // A secret variable, the SSH key and its passphrase, the cluster token.
    expect(echoed).toEqual(expect.arrayContaining([m.encryptedKey.private_key, m.passphrase, m.token]));
    expect(echoed.length).toBe(5);

    const rows = await storedRows();
    const leaked = echoed.filter((s) => rows.includes(s) || rows.includes(Buffer.from(s).toString('base64')));
    expect(leaked.map((s) => `${s.slice(0, 6)}…`)).toEqual([]);
    // The leak guard, given every stored row, finds none of the secrets it watches.
    recordResponse(rows);
    expect(findLeaks()).toEqual([]);

    const db = p.deps.database;
    const steps = await db.query<{ output: string; detail: string }>(
      "select output, detail::text as detail from job_steps where name = 'echo'",
    );
    expect(steps.length).toBe(2);
    for (const s of steps) {
      expect(s.output).toMatch(/^said: \*\*\*( \| \*\*\*)+$/);
      expect(s.detail).toContain('"message": "said: ***');
    }
    const releases = await db.query<{ diagnostics: string }>(
      'select diagnostics_json::text as diagnostics from releases where diagnostics_json is not null',
    );
    expect(releases.length).toBe(2);
    for (const r of releases) expect(r.diagnostics).toContain('"message": "said: ***');
    const jobs = await db.query<{ result: string }>(
      "select result::text as result from jobs where kind = 'release_apply'",
    );
    for (const j of jobs) expect(j.result).toContain('"echoed": "***');
  });
});
