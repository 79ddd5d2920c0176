import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakePlatform } from '../test/support/fake-platform';
import { captureLogs, registerSecret } from '../test/support/leak-guard';
import { hostTestWork, startTestLoop, until } from '../test/support/runner-loop';
import type { Executor } from './dispatch';
import { runStep } from './jobs/steps';
import { Logger } from './log';
import type { LoopOptions, RunnerLoop } from './loop';

let platform: FakePlatform;
const loops: RunnerLoop[] = [];
const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ok = { status: 'succeeded' } as const;

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

async function runLoop(p: FakePlatform, executor: Executor, opts: Partial<LoopOptions> = {}) {
  const lines: string[] = [];
  const log = new Logger(captureLogs(lines));
  const { loop, token } = await startTestLoop(p, executor, log, opts);
  registerSecret(token);
  loops.push(loop);
  return { loop, lines };
}

describe('runner loop', () => {
  it('runs up to `concurrency` jobs at once and never more', async () => {
    const jobs = Array.from({ length: 5 }, () => platform.addJob(hostTestWork()));
    let now = 0;
    let most = 0;
    await runLoop(platform, async () => {
      most = Math.max(most, ++now);
      await delay(120);
      now -= 1;
      return ok;
    });
    await until(() => jobs.every((j) => j.status === 'succeeded'), 5000, 'all jobs');
    expect(most).toBe(2);
    expect(platform.maxRunning).toBe(2);
  });

  it('heartbeats while a job runs, so the lease is never re-taken', async () => {
    platform.leaseMs = 450;
    const job = platform.addJob(hostTestWork());
    await runLoop(platform, async () => {
      await delay(1000);
      return ok;
    });
    await until(() => job.status === 'succeeded', 5000, 'completion');
    expect(job.heartbeats).toBeGreaterThanOrEqual(4);
    expect(job.attempt).toBe(1);
  });

  it('delivers the steps in the order the adapter reported them', async () => {
    const job = platform.addJob(hostTestWork());
    await runLoop(platform, async (_work, ctx) => {
      for (const name of ['connect', 'upload', 'apply']) await runStep(ctx, name, async () => delay(5));
      return ok;
    });
    await until(() => job.status === 'succeeded', 5000, 'completion');
    expect(job.steps.map((s) => `${s.name}:${s.status}`)).toEqual([
      'connect:running',
      'connect:succeeded',
      'upload:running',
      'upload:succeeded',
      'apply:running',
      'apply:succeeded',
    ]);
  });

  it('on LEASE_LOST from a heartbeat aborts the job and sends nothing more for it', async () => {
    platform.leaseMs = 300;
    const job = platform.addJob(hostTestWork());
    let signal: AbortSignal | undefined;
    let lostAt = 0;
    let returned = false;
    await runLoop(platform, async (_work, ctx) => {
      signal = ctx.signal;
      ctx.steps.report({ name: 'before', attempt: ctx.attempt, status: 'running' });
      await new Promise((r) => ctx.signal.addEventListener('abort', r, { once: true }));
      ctx.steps.report({ name: 'after', attempt: ctx.attempt, status: 'running' });
      returned = true;
      return ok;
    });
    await until(() => job.steps.length === 1, 5000, 'first step');
    // By position, not time: the first step's write can share the millisecond of the takeover.
    lostAt = job.writes.length;
    platform.takeOver(job);
    await until(() => returned, 5000, 'executor to stop');
    await delay(300);
    expect(signal?.aborted).toBe(true);
    expect(job.writes.filter((w) => w.type === 'heartbeat' && w.status === 409)).toHaveLength(1);
    expect(job.writes.slice(lostAt).filter((w) => w.type !== 'heartbeat')).toEqual([]);
    expect(job.steps.map((s) => s.name)).toEqual(['before']);
  });

  it('fails a job whose sealed box was made for another key or lease, without saying why', async () => {
    const jobs = [
      platform.addJob(hostTestWork(), { sealFor: 'other-key' }),
      platform.addJob(hostTestWork(), { sealFor: 'other-lease' }),
    ];
    let ran = 0;
    const { lines } = await runLoop(platform, async () => {
      ran += 1;
      return ok;
    });
    await until(() => jobs.every((j) => j.status === 'failed'), 5000, 'both failed');
    expect(ran).toBe(0);
    for (const j of jobs) {
      expect(j.completion).toEqual({
        status: 'failed',
        error_code: 'APPLY_FAILED',
        diagnostics: { message: 'the runner could not open or read the work order sealed to it' },
      });
    }
    expect(lines.join('\n')).not.toMatch(/authentication|decipher|tag/i);
  });

  it('ends with exit code 3 when the platform refuses the token, aborting the running job', async () => {
    platform.addJob(hostTestWork());
    let aborted = false;
    const { loop, lines } = await runLoop(platform, async (_w, ctx) => {
      await new Promise((r) => ctx.signal.addEventListener('abort', r, { once: true }));
      aborted = true;
      return ok;
    });
    await until(() => loop.active === 1, 5000, 'job to start');
    platform.revokeAll();
    expect(await loop.done).toEqual({ exitCode: 3, jobs: 1 });
    expect(aborted).toBe(true);
    expect(lines.some((l) => /revoked or rotated/.test(l) && l.includes('"level":"error"'))).toBe(true);
  });

  it('stop(): claims nothing more and lets the running job finish', async () => {
    const first = platform.addJob(hostTestWork());
    const { loop } = await runLoop(
      platform,
      async () => {
        await delay(300);
        return ok;
      },
      { concurrency: 1 },
    );
    // Running here, not merely leased: stop() abandons a claim whose answer is still on the way.
    await until(() => loop.active === 1, 5000, 'job to start');
    loop.stop();
    const second = platform.addJob(hostTestWork());
    expect(await loop.done).toEqual({ exitCode: 0, jobs: 1 });
    expect(first.status).toBe('succeeded');
    expect(second.status).toBe('queued');
  });

  it('stop(): aborts a job that outlives the grace period and reports it failed', async () => {
    const job = platform.addJob(hostTestWork());
    const { loop } = await runLoop(
      platform,
      async (_w, ctx) => {
        await new Promise((r) => ctx.signal.addEventListener('abort', r, { once: true }));
        throw new Error('interrupted');
      },
      { graceMs: 100 },
    );
    await until(() => loop.active === 1, 5000, 'job to start');
    const stoppedAt = Date.now();
    loop.stop();
    expect((await loop.done).exitCode).toBe(0);
    expect(Date.now() - stoppedAt).toBeLessThan(2000);
    expect(job.completion).toEqual({
      status: 'failed',
      error_code: 'TIMEOUT',
      diagnostics: { message: 'interrupted' },
    });
  });

  it('--once: runs one job and leaves the rest; with none waiting it ends after one long poll', async () => {
    const [a, b] = [platform.addJob(hostTestWork()), platform.addJob(hostTestWork())];
    const { loop } = await runLoop(platform, async () => ok, { once: true });
    expect(await loop.done).toEqual({ exitCode: 0, jobs: 1 });
    expect([a!.status, b!.status]).toEqual(['succeeded', 'queued']);

    b!.status = 'succeeded';
    const before = platform.claimCalls;
    const idle = await runLoop(platform, async () => ok, { once: true });
    expect(await idle.loop.done).toEqual({ exitCode: 0, jobs: 0 });
    expect(platform.claimCalls - before).toBe(1);
  });
});
