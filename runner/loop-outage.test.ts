import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WorkOrder } from '../shared/jobs/claim';
import { type FakeJob, FakePlatform } from '../test/support/fake-platform';
import { captureLogs, registerSecret } from '../test/support/leak-guard';
import { hostTestWork, startTestLoop, until } from '../test/support/runner-loop';
import type { RunContext } from './jobs/steps';
import { Logger } from './log';
import type { LoopOptions, RunnerLoop } from './loop';

let platform: FakePlatform;
const loops: RunnerLoop[] = [];
const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));
const labels = (j: FakeJob) => j.steps.map((s) => `${s.name}:${s.status}`);
const accepted = (j: FakeJob, type: 'step' | 'complete') =>
  j.writes.filter((w) => w.type === type && w.status === 200).length;

beforeEach(async () => {
  platform = await FakePlatform.start();
});
afterEach(async () => {
  for (const l of loops.splice(0)) {
    l.stop();
    await l.done;
  }
  await platform.close();
});

async function runLoop(
  executor: (work: WorkOrder, ctx: RunContext) => Promise<{ status: 'succeeded' | 'failed' }>,
  opts: Partial<LoopOptions> = {},
) {
  const lines: string[] = [];
  const { loop, token } = await startTestLoop(platform, executor, new Logger(captureLogs(lines)), opts);
  registerSecret(token);
  loops.push(loop);
  return { loop, lines, token };
}

/** An executor that reports one step, waits for the test, then reports three more and succeeds. */
function gated() {
  let open!: () => void;
  const gate = new Promise<void>((r) => {
    open = r;
  });
  const executor = async (_w: WorkOrder, ctx: RunContext) => {
    const s = (name: string, status: 'running' | 'succeeded') =>
      ctx.steps.report({ name, attempt: ctx.attempt, status });
    s('a', 'running');
    await gate;
    s('a', 'succeeded');
    s('b', 'running');
    s('b', 'succeeded');
    return { status: 'succeeded' as const };
  };
  return { executor, open: () => open() };
}

const ALL = ['a:running', 'a:succeeded', 'b:running', 'b:succeeded'];

describe('runner loop through API outages', () => {
  it('queues steps and the completion while the API answers 503, then delivers each once, in order', async () => {
    const job = platform.addJob(hostTestWork());
    const { executor, open } = gated();
    await runLoop(executor);
    await until(() => job.steps.length === 1, 5000, 'first step');
    platform.mode = 'unavailable';
    open();
    await delay(600);
    expect(labels(job)).toEqual(['a:running']);
    expect(job.status).toBe('running');
    platform.mode = 'up';
    await until(() => job.status === 'succeeded', 5000, 'completion');
    expect(labels(job)).toEqual(ALL);
    // The job ended during the outage: the three steps still queued went with its completion.
    expect(accepted(job, 'step')).toBe(1);
    expect(job.carried).toBe(3);
    expect(accepted(job, 'complete')).toBe(1);
  });

  it('sends the steps alone, then the completion, to a platform that refuses carried steps', async () => {
    platform.refuseCarriedSteps = true;
    const job = platform.addJob(hostTestWork());
    const { executor, open } = gated();
    await runLoop(executor);
    await until(() => job.steps.length === 1, 5000, 'first step');
    platform.mode = 'unavailable';
    open();
    await delay(600);
    platform.mode = 'up';
    await until(() => job.status === 'succeeded', 5000, 'completion');
    expect(labels(job)).toEqual(ALL);
    expect(job.carried).toBe(0);
    // The completion with steps was refused once; the three steps went alone, then it did.
    expect(job.writes.filter((w) => w.type === 'complete').map((w) => w.status)).toEqual([422, 200]);
    expect(accepted(job, 'step')).toBe(4);
  });

  it('rides out the API being down for a second', async () => {
    const job = platform.addJob(hostTestWork());
    const { executor, open } = gated();
    await runLoop(executor);
    await until(() => job.steps.length === 1, 5000, 'first step');
    await platform.down();
    open();
    await delay(1000);
    await platform.up();
    await until(() => job.status === 'succeeded', 5000, 'completion');
    expect(labels(job)).toEqual(ALL);
    expect(accepted(job, 'complete')).toBe(1);
  });

  it('resends after a lost answer without duplicates; a 409 on the completion retry counts as done', async () => {
    const job = platform.addJob(hostTestWork());
    platform.loseAnswerTo.add('step');
    platform.loseAnswerTo.add('complete');
    const { executor, open } = gated();
    open();
    const { loop, lines } = await runLoop(executor, { once: true });
    expect(await loop.done).toEqual({ exitCode: 0, jobs: 1 });
    expect(labels(job)).toEqual(ALL);
    expect(job.completion).toEqual({ status: 'succeeded' });
    expect(job.writes.filter((w) => w.type === 'complete').map((w) => w.status)).toEqual([200, 409]);
    expect(lines.some((l) => l.includes('already recorded'))).toBe(true);
  });

  it('--once ends with exit code 1 when the completion cannot be delivered in time', async () => {
    const job = platform.addJob(hostTestWork());
    const { loop } = await runLoop(
      async () => {
        platform.mode = 'unavailable';
        return { status: 'succeeded' };
      },
      { once: true, deliveryTimeoutMs: 300 },
    );
    expect(await loop.done).toEqual({ exitCode: 1, jobs: 1 });
    expect(job.status).toBe('running');
  });

  it('never logs the runner token or a secret from the sealed work order, and masks it in reports', async () => {
    const password = registerSecret('correct-horse-battery-staple');
    const job = platform.addJob(hostTestWork(password));
    const { loop, lines, token } = await runLoop(
      async (work, ctx) => {
        if (work.kind !== 'host_test' || work.host.auth.kind !== 'ssh_password')
          throw new Error('unexpected work');
        const pw = work.host.auth.password;
        ctx.steps.report({
          name: 'login',
          attempt: ctx.attempt,
          status: 'failed',
          output: `sshpass -p ${pw}`,
        });
        throw new Error(`login as deploy with ${pw} refused`);
      },
      { once: true },
    );
    expect((await loop.done).exitCode).toBe(0);
    expect(job.steps[0]!.output).toBe('sshpass -p ***');
    expect(job.completion).toEqual({
      status: 'failed',
      error_code: 'APPLY_FAILED',
      diagnostics: { message: 'login as deploy with *** refused' },
    });
    const all = lines.join('\n');
    expect(all).toContain('login as deploy with *** refused');
    expect(all).not.toContain(password);
    expect(all).not.toContain(token);
    expect(lines.every((l) => typeof JSON.parse(l).ts === 'string')).toBe(true);
  });
});
