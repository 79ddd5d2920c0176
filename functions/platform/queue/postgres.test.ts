import { getEventListeners } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { postgresQueue } from './postgres';

const LOOK = { jobId: null, receipt: null, receiveCount: 0 };
const opts = (waitMs: number, signal?: AbortSignal) => ({ waitMs, visibilitySeconds: 60, signal });

describe('the postgres job queue', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('tells a waiting claimer to look at the table every pollMs, for jobs other processes wrote', async () => {
    vi.useFakeTimers();
    const q = postgresQueue({ pollMs: 1000 });
    const settled = vi.fn();
    q.receive('pool_a', opts(25_000)).then(settled);
    await vi.advanceTimersByTimeAsync(999);
    expect(settled).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(settled).toHaveBeenCalledWith(LOOK);
  });

  it('returns null when the wait ends before the next poll', async () => {
    vi.useFakeTimers();
    const q = postgresQueue({ pollMs: 1000 });
    const settled = vi.fn();
    q.receive('pool_a', opts(400)).then(settled);
    await vi.advanceTimersByTimeAsync(400);
    expect(settled).toHaveBeenCalledWith(null);
    expect(await q.receive('pool_a', opts(0))).toBeNull();
  });

  it('wakes one waiting claimer per published job, the longest waiting first', async () => {
    const q = postgresQueue({ pollMs: 60_000 });
    const order: number[] = [];
    const ac = new AbortController();
    const all = [1, 2, 3].map((n) =>
      q.receive('pool_a', opts(60_000, ac.signal)).then((d) => d && order.push(n)),
    );
    await q.publish('pool_a', ['job_1']);
    await new Promise((r) => setImmediate(r));
    expect(order).toEqual([1]);
    await q.publish('pool_a', ['job_2', 'job_3', 'job_4']);
    await new Promise((r) => setImmediate(r));
    expect(order).toEqual([1, 2, 3]);
    // Nobody is waiting any more: publishing is a no-op, not an error, and remembers nothing.
    await q.publish('pool_a', ['job_5']);
    const [late] = await Promise.all([q.receive('pool_a', opts(50)), ...all]);
    expect(late).toBeNull();
  });

  it.each([
    ['a publish', (q: ReturnType<typeof postgresQueue>) => q.publish('pool_a', ['job_1'])],
    ['an abort', (_: unknown, ac: AbortController) => ac.abort()],
    ['a poll', () => vi.advanceTimersByTimeAsync(1000)],
    ['the end of the wait', () => vi.advanceTimersByTimeAsync(5000)],
    ['close', (q: ReturnType<typeof postgresQueue>) => q.close()],
  ] as const)('leaves no timer and no abort listener behind after %s', async (_, end) => {
    vi.useFakeTimers();
    const q = postgresQueue({ pollMs: 1000 });
    const ac = new AbortController();
    const waiting = q.receive('pool_a', opts(5000, ac.signal));
    expect(vi.getTimerCount()).toBe(1);
    expect(getEventListeners(ac.signal, 'abort')).toHaveLength(1);
    await end(q, ac);
    await waiting;
    expect(vi.getTimerCount()).toBe(0);
    expect(getEventListeners(ac.signal, 'abort')).toHaveLength(0);
  });

  it('receives nothing once closed', async () => {
    const q = postgresQueue();
    await q.close();
    expect(await q.receive('pool_a', opts(60_000))).toBeNull();
  });
});
