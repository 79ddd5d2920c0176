import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executorOf } from '../../../runner/dispatch';
import { runJob } from '../../../runner/job';
import { RUNNER_JOB_KINDS } from '../../../runner/jobs';
import { Logger } from '../../../runner/log';
import { echoJob, echoSeen } from '../../../test/support/echo-kind/platform';
import { echoRunnerJob } from '../../../test/support/echo-kind/runner';
import { governanceFixture } from '../../../test/support/governance';
import { captureLogs } from '../../../test/support/leak-guard';
import { createTestPlatform, type TestPlatform } from '../../../test/support/platform';
import { registerRunner, type TestRunner } from '../../../test/support/runners';
import { JOB_KINDS } from '../registry';
import { listSteps } from './repo';
import { createJob } from './service';

/**
 * A kind defined in three test files (its contract, the platform's handler, the runner's) and
 * registered in the two lists runs end to end through the real claim path and job runner.
 */
describe('a job kind added by its three modules', () => {
  let p: TestPlatform;
  let f: Awaited<ReturnType<typeof governanceFixture>>;
  let runner: TestRunner;
  beforeAll(async () => {
    p = await createTestPlatform('pglite', {}, { jobKinds: [...JOB_KINDS, echoJob] });
    f = await governanceFixture(p, 'echo');
    runner = await registerRunner(p, f.admin, f.pool, 'echo-runner');
  });
  afterAll(() => p.close());

  const ok = async (r: Awaited<ReturnType<TestRunner['call']>>) => {
    if (r.status >= 300) throw new Error(`${r.status} ${r.text}`);
    return r.json;
  };

  it('is created, claimed, opened, run and completed, and its platform handler sees the end', async () => {
    const job = await p.deps.database.db.transaction((tx) =>
      createJob(tx, p.clock, {
        kind: 'test_echo',
        projectId: f.project,
        environmentId: null,
        runnerPoolId: f.pool,
        resourceType: 'note',
        resourceId: 'note_1',
        payload: { note_id: 'n1', host_id: 'host_echo' },
      }),
    );
    const claimed = await runner.claim();
    expect(claimed?.job).toMatchObject({ id: job.id, kind: 'test_echo', kind_version: 3 });
    expect(echoSeen.claimed).toEqual([job.id]);

    const lines: string[] = [];
    const outcome = await runJob(claimed!, new AbortController(), {
      api: {
        claim: async () => null,
        heartbeat: async (id, lease_token) =>
          ok(await runner.call('POST', `/runner/jobs/${id}/heartbeat`, { lease_token })),
        step: async (id, lease_token, step) =>
          ok(await runner.call('POST', `/runner/jobs/${id}/steps`, { lease_token, ...step })),
        complete: async (id, lease_token, report) => {
          await ok(await runner.call('POST', `/runner/jobs/${id}/complete`, { lease_token, ...report }));
        },
      },
      privateKey: runner.privateKey,
      executor: executorOf([...RUNNER_JOB_KINDS, echoRunnerJob]),
      log: new Logger(captureLogs(lines)),
      minHeartbeatMs: 1000,
      deliveryTimeoutMs: 5000,
      refused: () => {},
      isRefused: () => false,
      cutoff: () => Number.POSITIVE_INFINITY,
    });

    expect(outcome).toBe('completed');
    expect(echoSeen.completed).toEqual([
      { job: job.id, report: { status: 'succeeded', result: { echoed: 'note n1' } } },
    ]);
    // The definition's secretsOf told the runner what to keep out of what it sends.
    const [step] = await listSteps(p.deps.database.db, job.id);
    expect(step).toMatchObject({ name: 'echo', status: 'succeeded' });
    expect(step?.output).not.toContain('echo-secret-');
  });

  it("lets a step pin keys only for the hosts the kind's definition names", async () => {
    const job = await p.deps.database.db.transaction((tx) =>
      createJob(tx, p.clock, {
        kind: 'test_echo',
        projectId: f.project,
        environmentId: null,
        runnerPoolId: f.pool,
        resourceType: 'note',
        resourceId: 'note_2',
        payload: { note_id: 'n2', host_id: 'host_echo' },
      }),
    );
    const claimed = await runner.claim();
    expect(claimed?.job.id).toBe(job.id);
    const step = await runner.call('POST', `/runner/jobs/${job.id}/steps`, {
      lease_token: claimed!.job.lease_token,
      name: 'connect',
      attempt: 1,
      status: 'succeeded',
      host_id: 'host_other',
      observed_host_key: `SHA256:${'A'.repeat(43)}`,
    });
    expect([step.status, step.json.error.code]).toEqual([422, 'VALIDATION_FAILED']);
  });
});
