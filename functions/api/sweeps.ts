import { expireDueTickets } from './approvals/service';
import { checkpointIfDue } from './audit/checkpoint';
import { runCdWork } from './cd/act';
import { timeOutBuilds } from './ci/builds';
import { failAbandonedAttempts, fireDueSchedules } from './ci/trigger';
import { auditRefusals } from './ci/webhook';
import type { Deps } from './deps';
import { deliverNotifications } from './notifications/deliveries';
import { expireDuePreviews, expireUnclaimedApproved } from './releases/expire';
import { trimExpiredOutput } from './retention';
import { deadLetterStuckJobs, dispatchQueued } from './runners/dispatch';
import { refreshStaleStatuses } from './status/service';

/** A queued job nobody claimed this long gets its message again (a send lost after its mark). */
const RESEND_AFTER_MS = 15 * 60_000;

/**
 * The periodic work: expire tickets, previews and unclaimed approved releases whose time passed,
 * remove step output past retention, have runners re-read target statuses that grew old, time
 * out builds no provider finished, audit the minutes of refused webhook deliveries, send due
 * notifications, anchor the audit chain (last, so it covers this sweep's own events). A timer
 * runs it locally, an EventBridge schedule in the cloud. The decision and apply paths check
 * expiry themselves, so a late sweep never lets anything expired through.
 */
export async function runSweeps(
  deps: Pick<
    Deps,
    | 'database'
    | 'clock'
    | 'keys'
    | 'queue'
    | 'config'
    | 'jobKinds'
    | 'ticketKinds'
    | 'auditAnchor'
    | 'authorizer'
    | 'logger'
  > &
    Partial<Pick<Deps, 'outboundLookup'>>,
) {
  const { db } = deps.database;
  // Before the outbox below, so the status jobs queued here are sent in the same sweep.
  const statuses_refreshed = await refreshStaleStatuses(db, deps.clock, deps.config.statusTtlSeconds);
  // CD policies' work (builds to deploy, failed releases to roll back) before the outbox too.
  const cd_work_done = await runCdWork({
    db,
    clock: deps.clock,
    keys: deps.keys,
    authorizer: deps.authorizer,
  });
  return {
    jobs_dispatched: await dispatchQueued(db, deps.queue, deps.clock, { resendAfterMs: RESEND_AFTER_MS }),
    jobs_dead_lettered: await deadLetterStuckJobs(db, deps.clock, deps.config.jobs, deps.jobKinds),
    tickets_expired: await expireDueTickets(db, deps.clock, deps.ticketKinds),
    previews_expired: await expireDuePreviews(db, deps.clock),
    approved_expired: await expireUnclaimedApproved(db, deps.clock, deps.config.approvedTtlSeconds),
    output_trimmed: await trimExpiredOutput(db, deps.clock, deps.config.retentionDays),
    builds_timed_out: await timeOutBuilds(db, deps.clock, deps.config.buildTimeoutMinutes),
    webhook_refusals_audited: await auditRefusals(db, deps.clock),
    // Notifications are sent here only, never inside a request (SPEC §7.2).
    notifications: await deliverNotifications({
      db,
      clock: deps.clock,
      keys: deps.keys,
      outbound: deps.config.outbound,
      lookup: deps.outboundLookup,
    }),
    schedules_fired: await fireDueSchedules({
      db,
      clock: deps.clock,
      keys: deps.keys,
      outbound: deps.config.outbound,
    }),
    trigger_attempts_abandoned: await failAbandonedAttempts(db, deps.clock),
    checkpoint: (await checkpointIfDue(deps)).length > 0,
    statuses_refreshed,
    cd_work_done,
  };
}
