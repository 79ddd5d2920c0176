/**
 * The `k8s.rollout` step's loop: poll every workload of the release until each is rolled out, one
 * reports a failure waiting cannot fix (ROLLOUT_FAILED), or the overall budget is spent (TIMEOUT).
 * Either failure names the containers that are not ready and why (ImagePullBackOff,
 * CrashLoopBackOff…), since that is usually the whole story.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { StepError } from '../jobs/steps';
import { describeK8sError, type K8sClients, k8sStepError } from './client';
import { podProblems, podsOf, type ReadWorkload, readWorkload, type WorkloadRef } from './diagnostics';
import { type RolloutState, rolloutState } from './rollout';

/**
 * kubectl's rollout status watches the workload and so sees each status change at once; polling
 * comes close by reading often while a rollout of a small change is likely to finish (every
 * `FAST_POLL_MS` for the first `FAST_WINDOW_MS`), then backing off (the interval doubles up to
 * `pollMs`) so a long rollout costs one read per workload per `pollMs`. Before, the interval
 * doubled from the first read (100, 200, 400 ms…), which put 300 ms of sleep into a rollout ready
 * on the third read where a 100 ms poll needs 200 (bench/RESULTS.md, release-k8s). At most
 * 10 reads a second per workload, for two seconds, is far below what a watch's relist costs.
 */
export const FAST_POLL_MS = 100;
export const FAST_WINDOW_MS = 2_000;

/** The pause before the next round of reads, `elapsedMs` after the wait began. */
export function nextPollDelay(elapsedMs: number, lastDelayMs: number, pollMs: number): number {
  if (elapsedMs < FAST_WINDOW_MS) return Math.min(FAST_POLL_MS, pollMs);
  return Math.min(Math.max(lastDelayMs, FAST_POLL_MS) * 2, pollMs);
}

/** Transport errors tolerated in a row before the cluster counts as gone. */
const MAX_READ_FAILURES = 3;

export type WaitOptions = {
  timeoutMs: number;
  pollMs: number;
  signal: AbortSignal;
  redact: (s: string) => string;
};

/** One line per workload, and each workload as last read (rolled out), keyed `Kind/name`. */
export type RolledOut = { lines: string[]; seen: Map<string, ReadWorkload> };

export async function waitForRollout(
  c: K8sClients,
  namespace: string,
  refs: readonly WorkloadRef[],
  o: WaitOptions,
): Promise<RolledOut> {
  const done: string[] = [];
  const pending = new Map(refs.map((r) => [`${r.kind}/${r.name}`, r]));
  const last = new Map<string, { w: ReadWorkload; s: RolloutState }>();
  const started = Date.now();
  const deadline = started + o.timeoutMs;
  let failures = 0;
  let interval = 0;

  const problems = async (ids: string[]) => {
    const lines: string[] = [];
    for (const id of ids) {
      const seen = last.get(id);
      if (!seen) continue;
      lines.push(`${id}: ${seen.s.message} (${seen.s.ready}/${seen.s.desired} ready)`);
      lines.push(...podProblems(await podsOf(c, namespace, seen.w).catch(() => [])));
    }
    return o.redact(lines.join('\n'));
  };

  while (pending.size > 0) {
    // One round reads every pending workload at once: its length is one request, not one per workload.
    const round = [...pending];
    const reads = await Promise.allSettled(round.map(([, ref]) => readWorkload(c, namespace, ref)));
    let transient: { id: string; reason: unknown } | null = null;
    for (const [i, [id]] of round.entries()) {
      const read = reads[i]!;
      if (read.status === 'rejected') {
        const f = describeK8sError(read.reason);
        if (f.status === null && !o.signal.aborted) {
          transient ??= { id, reason: read.reason };
          continue;
        }
        if (f.status === 404)
          throw new StepError('ROLLOUT_FAILED', o.redact(`${id} disappeared while rolling out`));
        throw k8sStepError(read.reason, `read ${id}`, o.redact, o.signal);
      }
      const w = read.value;
      const s = rolloutState(w);
      last.set(id, { w, s });
      if (s.failed) {
        const output = await problems([id]);
        throw new StepError('ROLLOUT_FAILED', o.redact(`${id} failed to roll out: ${s.failed}`), {
          output: `${o.redact(s.failed)}\n${output}`,
          detail: { workload: id, conditions: s.conditions },
        });
      }
      if (s.done) {
        pending.delete(id);
        done.push(`${id}: ${s.message}`);
      }
    }
    if (!transient) failures = 0;
    else if (++failures >= MAX_READ_FAILURES)
      throw k8sStepError(transient.reason, `read ${transient.id}`, o.redact, o.signal);
    if (pending.size === 0) break;
    const left = deadline - Date.now();
    if (left <= 0) {
      const ids = [...pending.keys()];
      throw new StepError(
        'TIMEOUT',
        o.redact(`${ids.join(', ')} did not roll out within ${Math.round(o.timeoutMs / 1000)}s`),
        { output: await problems(ids), detail: { pending: ids } },
      );
    }
    try {
      interval = nextPollDelay(Date.now() - started, interval, o.pollMs);
      await sleep(Math.min(interval, left), undefined, { signal: o.signal });
    } catch {
      throw new StepError('TIMEOUT', 'stopped: the job was cancelled or lost its lease');
    }
  }
  return { lines: done, seen: new Map([...last].map(([id, { w }]) => [id, w])) };
}
