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
 * The first read after the apply comes this soon, and the interval doubles up to `pollMs`: most
 * rollouts of a small change finish within a second, and a fixed 1 s poll would add up to a second
 * to each (bench/RESULTS.md, release-k8s); a long rollout is still read once per `pollMs`.
 */
const FIRST_POLL_MS = 100;

/** Transport errors tolerated in a row before the cluster counts as gone. */
const MAX_READ_FAILURES = 3;

export type WaitOptions = {
  timeoutMs: number;
  pollMs: number;
  signal: AbortSignal;
  redact: (s: string) => string;
};

export async function waitForRollout(
  c: K8sClients,
  namespace: string,
  refs: readonly WorkloadRef[],
  o: WaitOptions,
): Promise<string[]> {
  const done: string[] = [];
  const pending = new Map(refs.map((r) => [`${r.kind}/${r.name}`, r]));
  const last = new Map<string, { w: ReadWorkload; s: RolloutState }>();
  const deadline = Date.now() + o.timeoutMs;
  let failures = 0;
  let interval = Math.min(FIRST_POLL_MS, o.pollMs);

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
    for (const [id, ref] of pending) {
      let w: ReadWorkload;
      try {
        w = await readWorkload(c, namespace, ref);
        failures = 0;
      } catch (e) {
        const f = describeK8sError(e);
        if (f.status === null && !o.signal.aborted && ++failures < MAX_READ_FAILURES) continue;
        if (f.status === 404)
          throw new StepError('ROLLOUT_FAILED', o.redact(`${id} disappeared while rolling out`));
        throw k8sStepError(e, `read ${id}`, o.redact, o.signal);
      }
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
      await sleep(Math.min(interval, left), undefined, { signal: o.signal });
      interval = Math.min(interval * 2, o.pollMs);
    } catch {
      throw new StepError('TIMEOUT', 'stopped: the job was cancelled or lost its lease');
    }
  }
  return done;
}
