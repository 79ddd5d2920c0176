import type { Clock } from '../platform/clock';
import type { Db } from '../platform/db/types';
import { recordEvent } from './audit/writer';
import { clearStepOutputBefore, lastFailedSteps } from './jobs/repo';
import { summarizeDiagnostics } from './releases/diagnostics-summary';
import { SYSTEM } from './releases/lifecycle';
import { setTrimmedDiagnostics, untrimmedDiagnostics } from './releases/repo';

const DAY_MS = 86_400_000;

export type RetentionOptions = {
  /** Rows per statement and transaction: a sweep never rewrites millions of rows at once. */
  stepBatch?: number;
  releaseBatch?: number;
  /** Batches per sweep, so one sweep stays short; the next sweep goes on where this one stopped. */
  maxBatches?: number;
};

/**
 * SPEC §7.4 "Retention": step output and releases' raw diagnostics older than `retentionDays`
 * are removed, in bounded batches. A release keeps its diagnostics' summary and says it was
 * trimmed. Each batch is one transaction with its `retention.trimmed` event; audit events
 * themselves are never removed, so the chain verifies as before.
 */
export async function trimExpiredOutput(
  db: Db,
  clock: Clock,
  retentionDays: number,
  opts: RetentionOptions = {},
): Promise<{ steps: number; releases: number }> {
  const stepBatch = opts.stepBatch ?? 1000;
  const releaseBatch = opts.releaseBatch ?? 100;
  const maxBatches = opts.maxBatches ?? 10;
  const cutoff = new Date(clock.now().getTime() - retentionDays * DAY_MS);
  const detail = { older_than_days: retentionDays, cutoff: cutoff.toISOString() };
  const out = { steps: 0, releases: 0 };

  for (let b = 0; b < maxBatches; b++) {
    const n = await db.transaction(async (tx) => {
      const cleared = await clearStepOutputBefore(tx, cutoff, stepBatch);
      if (cleared)
        await recordEvent(tx, clock, {
          action: 'retention.trimmed',
          resourceType: 'job_steps',
          resourceId: 'step_output',
          actor: SYSTEM,
          detail: { ...detail, steps: cleared },
        });
      return cleared;
    });
    out.steps += n;
    if (n < stepBatch) break;
  }

  for (let b = 0; b < maxBatches; b++) {
    const n = await db.transaction(async (tx) => {
      const due = await untrimmedDiagnostics(tx, cutoff, releaseBatch);
      if (!due.length) return 0;
      const failed = await lastFailedSteps(
        tx,
        due.map((r) => r.id),
      );
      const at = clock.now();
      for (const r of due) {
        const summary = summarizeDiagnostics(r.diagnosticsJson ?? {}, failed.get(r.id), retentionDays);
        await setTrimmedDiagnostics(tx, r.id, summary, at);
      }
      await recordEvent(tx, clock, {
        action: 'retention.trimmed',
        resourceType: 'releases',
        resourceId: 'diagnostics',
        actor: SYSTEM,
        detail: { ...detail, releases: due.map((r) => r.id) },
      });
      return due.length;
    });
    out.releases += n;
    if (n < releaseBatch) break;
  }
  return out;
}
