import { describe, expect, it, vi } from 'vitest';
import type { StepReport } from '../shared/jobs/kinds';
import { ApiProblem, NetworkError } from './client';
import { Logger } from './log';
import { JobSink } from './sink';

const step = (name: string, status: StepReport['status'] = 'running'): StepReport => ({
  name,
  attempt: 1,
  status,
});
const label = (s: StepReport) => `${s.name}:${s.status}`;
const quiet = () => new Logger(() => {});
const fast = { baseMs: 2, maxMs: 10 };

function sinkWith(send: (s: StepReport) => Promise<unknown>, extra: { capacity?: number } = {}) {
  const onLeaseLost = vi.fn();
  const onUnauthenticated = vi.fn();
  const sink = new JobSink({ send, onLeaseLost, onUnauthenticated, log: quiet(), backoff: fast, ...extra });
  return { sink, onLeaseLost, onUnauthenticated };
}

describe('step sink', () => {
  it('delivers in order through an outage, each step once', async () => {
    const delivered: string[] = [];
    let calls = 0;
    const { sink } = sinkWith(async (s) => {
      calls += 1;
      if (calls <= 5) throw new NetworkError('request failed (ECONNREFUSED)', 'ECONNREFUSED');
      if (calls === 6) throw new ApiProblem(503, 'NOT_READY', 'later');
      delivered.push(label(s));
    });
    sink.report(step('a'));
    sink.report(step('a', 'succeeded'));
    sink.report(step('b'));
    sink.report(step('b', 'failed'));
    expect(await sink.flush(Date.now() + 5000)).toBe('flushed');
    expect(delivered).toEqual(['a:running', 'a:succeeded', 'b:running', 'b:failed']);
  });

  it('drops the oldest running reports when full, never a final one or the one in flight', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const delivered: string[] = [];
    const { sink } = sinkWith(
      async (s) => {
        await gate;
        delivered.push(label(s));
      },
      { capacity: 3 },
    );
    sink.report(step('a'));
    sink.report(step('b'));
    sink.report(step('b', 'succeeded'));
    sink.report(step('c'));
    sink.report(step('c', 'succeeded'));
    sink.report(step('d', 'failed'));
    release();
    expect(await sink.flush(Date.now() + 5000)).toBe('flushed');
    expect(delivered).toEqual(['a:running', 'b:succeeded', 'c:succeeded', 'd:failed']);
  });

  it('stops on LEASE_LOST: tells the job once and sends nothing more', async () => {
    const sent: string[] = [];
    const { sink, onLeaseLost } = sinkWith(async (s) => {
      sent.push(label(s));
      if (s.name === 'b') throw new ApiProblem(409, 'LEASE_LOST', 'lease lost');
    });
    sink.report(step('a'));
    sink.report(step('b'));
    sink.report(step('c'));
    expect(await sink.flush(Date.now() + 5000)).toBe('lost');
    sink.report(step('d'));
    await new Promise((r) => setTimeout(r, 20));
    expect(sent).toEqual(['a:running', 'b:running']);
    expect(onLeaseLost).toHaveBeenCalledTimes(1);
    expect(sink.lost).toBe(true);
  });

  it('skips a report the platform refuses for good and keeps going', async () => {
    const delivered: string[] = [];
    let tries = 0;
    const { sink, onUnauthenticated } = sinkWith(async (s) => {
      if (s.name === 'bad') {
        tries += 1;
        throw new ApiProblem(422, 'VALIDATION_FAILED', 'bad step');
      }
      delivered.push(label(s));
    });
    sink.report(step('bad'));
    sink.report(step('good'));
    expect(await sink.flush(Date.now() + 5000)).toBe('flushed');
    expect(tries).toBe(1);
    expect(delivered).toEqual(['good:running']);
    expect(onUnauthenticated).not.toHaveBeenCalled();
  });

  it('reports a refused token and never throws into the adapter', async () => {
    const { sink, onUnauthenticated } = sinkWith(async () => {
      throw new ApiProblem(401, 'UNAUTHENTICATED', 'revoked');
    });
    sink.report(step('a'));
    expect(await sink.flush(Date.now() + 5000)).toBe('unauthenticated');
    expect(onUnauthenticated).toHaveBeenCalledTimes(1);

    const throwing = new JobSink({
      send: async () => {},
      onLeaseLost: () => {},
      onUnauthenticated: () => {},
      log: quiet(),
      scrub: () => {
        throw new Error('boom');
      },
    });
    expect(() => throwing.report(step('a'))).not.toThrow();
  });

  it('gives up waiting at the deadline and stops retrying once closed', async () => {
    let calls = 0;
    const { sink } = sinkWith(async () => {
      calls += 1;
      throw new NetworkError('request failed');
    });
    sink.report(step('a'));
    expect(await sink.flush(Date.now() + 50)).toBe('timeout');
    sink.close();
    await new Promise((r) => setTimeout(r, 30));
    const after = calls;
    await new Promise((r) => setTimeout(r, 50));
    expect(calls).toBe(after);
    expect(sink.pending).toBe(0);
  });

  it('hands over what is queued once the report on the wire is answered, and sends nothing more', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const delivered: string[] = [];
    const { sink } = sinkWith(async (s) => {
      await gate;
      delivered.push(label(s));
    });
    sink.report(step('a'));
    sink.report(step('a', 'succeeded'));
    sink.report(step('b'));
    const handed = sink.handOver(Date.now() + 5000);
    release();
    const { result, steps } = await handed;
    expect(result).toBe('flushed');
    expect(delivered).toEqual(['a:running']);
    expect(steps.map(label)).toEqual(['a:succeeded', 'b:running']);
    sink.report(step('c'));
    await new Promise((r) => setTimeout(r, 20));
    expect(delivered).toEqual(['a:running']);
  });

  it('hands over at once while backing off, the undelivered head first', async () => {
    const sink = new JobSink({
      send: async () => {
        throw new NetworkError('request failed');
      },
      onLeaseLost: () => {},
      onUnauthenticated: () => {},
      log: quiet(),
      backoff: { baseMs: 10_000, maxMs: 10_000 },
    });
    sink.report(step('a'));
    sink.report(step('a', 'succeeded'));
    await new Promise((r) => setTimeout(r, 5));
    const started = Date.now();
    const { result, steps } = await sink.handOver(Date.now() + 5000);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(result).toBe('flushed');
    expect(steps.map(label)).toEqual(['a:running', 'a:succeeded']);
  });

  it('hands over nothing once the lease is lost', async () => {
    const { sink } = sinkWith(async () => {
      throw new ApiProblem(409, 'LEASE_LOST', 'gone');
    });
    sink.report(step('a'));
    sink.report(step('b'));
    expect(await sink.handOver(Date.now() + 5000)).toEqual({ result: 'lost', steps: [] });
  });
});
