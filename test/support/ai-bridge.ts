/**
 * What the AI bridge's API tests share over a governance fixture: the runner's part played through
 * the jobs module, and the audit actions the bridge must never cause.
 */
import { and, eq, gt, like, or, type SQL } from 'drizzle-orm';
import { expect } from 'vitest';
import { claimJob, completeJob, reportStep } from '../../functions/api/jobs/service';
import { auditEvents } from '../../functions/platform/db/schema';
import type { governanceFixture } from './governance';
import type { TestPlatform } from './platform';

type Fixture = Pick<Awaited<ReturnType<typeof governanceFixture>>, 'pool' | 'hostId'>;

/** A failed run: its error code, the step the diagnostics name, the step's output and the container's last words. */
export type Failure = { error_code: string; failed_step: string; output: string; stderr_tail: string };

/**
 * Plays the runner: claims the pool's next job, which must be this release's, reports its
 * compose.up step and ends the job succeeded, or failed as `failure` says.
 */
export async function playRelease(p: TestPlatform, f: Fixture, releaseId: string, failure?: Failure) {
  const db = p.deps.database.db;
  const lease = await claimJob(db, p.clock, {
    runnerPoolId: f.pool,
    runnerId: 'run_ai',
    leaseSeconds: 60,
    kinds: p.deps.jobKinds,
  });
  expect(lease?.job.resourceId).toBe(releaseId);
  const step = { name: 'compose.up', attempt: 1, status: 'running' as const };
  await reportStep(db, p.clock, lease!, step);
  await reportStep(db, p.clock, lease!, {
    ...step,
    ...(failure
      ? { status: 'failed', error_code: failure.error_code, output: failure.output }
      : { status: 'succeeded' }),
  });
  await completeJob(
    db,
    p.clock,
    lease!,
    failure
      ? {
          status: 'failed',
          error_code: failure.error_code,
          diagnostics: {
            hosts: [
              { host_id: f.hostId, failed_step: failure.failed_step, stderr_tail: failure.stderr_tail },
            ],
          },
        }
      : { status: 'succeeded' },
    p.deps.jobKinds,
  );
}

/**
 * The audit actions after `since` that only a decision, a reveal, an RBAC, policy or runner change
 * writes, and the release actions the caller names as forbidden too: `'release.%'` where the test
 * causes no release at all, single actions where it previews on purpose.
 */
export const forbiddenEvents = (p: TestPlatform, since: Date, releaseActions: readonly string[]) =>
  p.deps.database.db
    .select({ action: auditEvents.action })
    .from(auditEvents)
    .where(
      and(
        gt(auditEvents.occurredAt, since),
        or(
          like(auditEvents.action, 'approval.%'),
          like(auditEvents.action, 'credential.%'),
          like(auditEvents.action, 'role%'),
          like(auditEvents.action, 'policy.%'),
          like(auditEvents.action, 'runner%'),
          ...releaseActions.map(
            (a): SQL => (a.endsWith('%') ? like(auditEvents.action, a) : eq(auditEvents.action, a)),
          ),
        ),
      ),
    );
