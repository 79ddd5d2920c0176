import { expireDueTickets } from './approvals/service';
import { checkpointIfDue } from './audit/checkpoint';
import { timeOutBuilds } from './ci/builds';
import { auditRefusals } from './ci/webhook';
import type { Deps } from './deps';
import { expireDuePreviews, expireUnclaimedApproved } from './releases/expire';
import { deadLetterStuckJobs, dispatchQueued } from './runners/dispatch';

/** A queued job nobody claimed this long gets its message again (a send lost after its mark). */
const RESEND_AFTER_MS = 15 * 60_000;

/**
 * The periodic work: expire tickets, previews and unclaimed approved releases whose time passed,
 * time out builds no provider finished, audit the
 * minutes of refused webhook deliveries, anchor the audit chain. A
 * timer runs it locally, an EventBridge schedule in the cloud. The decision and apply paths
 * check expiry themselves, so a late sweep never lets anything expired through.
 */
export async function runSweeps(
  deps: Pick<
    Deps,
    'database' | 'clock' | 'keys' | 'queue' | 'config' | 'jobKinds' | 'ticketKinds' | 'auditAnchor'
  >,
) {
  const { db } = deps.database;
  return {
    jobs_dispatched: await dispatchQueued(db, deps.queue, deps.clock, { resendAfterMs: RESEND_AFTER_MS }),
    jobs_dead_lettered: await deadLetterStuckJobs(db, deps.clock, deps.config.jobs, deps.jobKinds),
    tickets_expired: await expireDueTickets(db, deps.clock, deps.ticketKinds),
    previews_expired: await expireDuePreviews(db, deps.clock),
    approved_expired: await expireUnclaimedApproved(db, deps.clock, deps.config.approvedTtlSeconds),
    builds_timed_out: await timeOutBuilds(db, deps.clock, deps.config.buildTimeoutMinutes),
    webhook_refusals_audited: await auditRefusals(db, deps.clock),
    checkpoint: (await checkpointIfDue(deps)).length > 0,
  };
}
