import { describe, expect, it } from 'vitest';
import { FAST_POLL_MS, FAST_WINDOW_MS, nextPollDelay } from './wait';

/** The read times (ms after the wait began) the schedule gives, reads taking no time. */
function readTimes(untilMs: number, pollMs: number): number[] {
  const at = [0];
  let delay = 0;
  while (true) {
    const now = at[at.length - 1]!;
    delay = nextPollDelay(now, delay, pollMs);
    if (now + delay > untilMs) return at;
    at.push(now + delay);
  }
}

describe('the rollout poll schedule', () => {
  it('reads every 100 ms at first, so a rollout ready on the third read is seen after 200 ms', () => {
    expect(readTimes(300, 1_000)).toEqual([0, 100, 200, 300]);
  });

  it('backs off to one read per pollMs once the rollout takes longer than the fast window', () => {
    const at = readTimes(10_000, 1_000);
    const gaps = at.slice(1).map((t, i) => t - at[i]!);
    const late = gaps.filter((_, i) => at[i]! >= FAST_WINDOW_MS);
    expect(late.slice(0, 5)).toEqual([200, 400, 800, 1_000, 1_000]);
    // The fast window's 10 reads a second, then about one a second: no hammering of the server.
    expect(at.filter((t) => t < FAST_WINDOW_MS)).toHaveLength(FAST_WINDOW_MS / FAST_POLL_MS);
    expect(at.length).toBeLessThanOrEqual(30);
  });

  it('never waits longer than pollMs, nor polls faster than pollMs when that is shorter', () => {
    expect(nextPollDelay(0, 0, 5)).toBe(5);
    expect(nextPollDelay(60_000, 5, 5)).toBe(5);
    expect(nextPollDelay(60_000, 1_000, 1_000)).toBe(1_000);
  });
});
