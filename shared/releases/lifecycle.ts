/**
 * The release lifecycle (SPEC §4 "Lifecycle"): the canonical states, the legacy `status` word of
 * each, the one table of legal transitions and the audit action written when a release enters a
 * state. Services ask `assertTransition` before every state write, so a refused move is a value
 * the caller turns into 409 ILLEGAL_TRANSITION, never an exception.
 */
import type { ErrorCode } from '../errors';

export const LIFECYCLE_STATES = [
  'preview',
  'pending_approval',
  'approved',
  'applying',
  'applied',
  'failed',
  'rejected',
  'expired',
  'rollback',
  'cancelled',
] as const;
export type LifecycleState = (typeof LIFECYCLE_STATES)[number];

/** SPEC's table: `status` keeps seed 004's vocabulary; only three words differ. */
export const RELEASE_STATUSES = [
  'preview',
  'pending_approval',
  'approved',
  'executing',
  'succeeded',
  'failed',
  'rejected',
  'expired',
  'rolled_back',
  'cancelled',
] as const;
export type ReleaseStatus = (typeof RELEASE_STATUSES)[number];

const STATUS_OF = {
  preview: 'preview',
  pending_approval: 'pending_approval',
  approved: 'approved',
  applying: 'executing',
  applied: 'succeeded',
  failed: 'failed',
  rejected: 'rejected',
  expired: 'expired',
  rollback: 'rolled_back',
  cancelled: 'cancelled',
} as const satisfies Record<LifecycleState, ReleaseStatus>;

export const statusOf = (state: LifecycleState): ReleaseStatus => STATUS_OF[state];

/** The inverse, for `?status=` filters written in the legacy words. */
export function stateOfStatus(status: string): LifecycleState | undefined {
  // Every status word is some state's (the test checks the mapping is one-to-one).
  return LIFECYCLE_STATES.find((s) => STATUS_OF[s] === status);
}

/**
 * Every legal move, and nothing else. Why each edge exists (or does not):
 * - preview: apply sends it to `pending_approval` (the policy wants a ticket) or straight to
 *   `approved`; a preview nobody applies within its TTL becomes `expired`. A stale or busy apply is
 *   refused with 409 and leaves the preview as it was, so there is no preview -> failed.
 * - pending_approval: the ticket's decision (`approved` | `rejected`), its expiry, or the requester
 *   (or an applier) cancelling it. A decision refused as PREVIEW_STALE leaves the release waiting;
 *   the approver rejects it, it expires or it is cancelled.
 * - approved: a runner's claim makes it `applying`; the dispatch re-check fails it with
 *   PREVIEW_STALE (SPEC: "at dispatch: the release fails with that code"), as does a job that dies
 *   before any runner took it. Until claimed it may be cancelled, and one nobody claims within
 *   K8SM_APPROVED_TTL_SECONDS expires, so an approved release never holds its target for good.
 * - applying: the runner completes it, `applied` or `failed`. A lease lost to another runner keeps
 *   it `applying` (no self-edge: that is not a state change).
 * - applied and failed -> rollback: SPEC's line `applying -> applied|failed -> rollback`. A failed
 *   release may have half-landed (some documents applied, a rollout that never became ready), so a
 *   rollback to the revision before it is as legitimate as after a success. The edge is taken when
 *   the rollback release that replaces it lands.
 * - rejected, expired, rollback, cancelled are terminal. A claimed (`applying`) release is not
 *   cancelled: the runner is already changing the target.
 */
export const TRANSITIONS = {
  preview: ['pending_approval', 'approved', 'expired'],
  pending_approval: ['approved', 'rejected', 'expired', 'cancelled'],
  approved: ['applying', 'failed', 'expired', 'cancelled'],
  applying: ['applied', 'failed'],
  applied: ['rollback'],
  failed: ['rollback'],
  rejected: [],
  expired: [],
  rollback: [],
  cancelled: [],
} as const satisfies Record<LifecycleState, readonly LifecycleState[]>;

export function canTransition(from: LifecycleState, to: LifecycleState): boolean {
  return (TRANSITIONS[from] as readonly LifecycleState[]).includes(to);
}

export const isTerminal = (state: LifecycleState): boolean => TRANSITIONS[state].length === 0;

export type TransitionCheck =
  | { ok: true; from: LifecycleState; to: LifecycleState }
  | { ok: false; code: Extract<ErrorCode, 'ILLEGAL_TRANSITION'>; reason: string };

/** The reason names both states and what would have been allowed, for the 409's message. */
export function assertTransition(from: LifecycleState, to: LifecycleState): TransitionCheck {
  if (canTransition(from, to)) return { ok: true, from, to };
  const allowed: readonly LifecycleState[] = TRANSITIONS[from];
  const reason =
    allowed.length === 0
      ? `release is ${from}, which is final; it cannot become ${to}`
      : `release is ${from}; it can become ${allowed.join(' or ')}, not ${to}`;
  return { ok: false, code: 'ILLEGAL_TRANSITION', reason };
}

/**
 * Release audit actions. SPEC §4 "Audit" names all but `release.expired` and `release.cancelled`
 * (SPEC §7.0): an expiry or a cancel changes the release and every mutation writes an event. The three rollback events are written on
 * the release being rolled back, so its own timeline tells the rollback's story.
 */
export const RELEASE_AUDIT_ACTIONS = [
  'release.previewed',
  'release.pending_approval',
  'release.approved',
  'release.rejected',
  'release.applying',
  'release.applied',
  'release.failed',
  'release.expired',
  'release.cancelled',
  'release.rollback_requested',
  'release.rollback_completed',
  'release.rollback_failed',
] as const;
export type ReleaseAuditAction = (typeof RELEASE_AUDIT_ACTIONS)[number];

const ENTERED = {
  preview: 'release.previewed',
  pending_approval: 'release.pending_approval',
  approved: 'release.approved',
  applying: 'release.applying',
  applied: 'release.applied',
  failed: 'release.failed',
  rejected: 'release.rejected',
  expired: 'release.expired',
  // A release becomes `rollback` exactly when the rollback release replacing it lands.
  rollback: 'release.rollback_completed',
  cancelled: 'release.cancelled',
} as const satisfies Record<LifecycleState, ReleaseAuditAction>;

export const auditActionForEntering = (state: LifecycleState): ReleaseAuditAction => ENTERED[state];

/**
 * Events about a rollback, written on the release it rolls back: `requested` when the rollback
 * preview is made, `completed` when it lands (the same event as entering `rollback`), `failed` when
 * the rollback release fails.
 */
export const ROLLBACK_AUDIT_ACTIONS = {
  requested: 'release.rollback_requested',
  completed: 'release.rollback_completed',
  failed: 'release.rollback_failed',
} as const satisfies Record<string, ReleaseAuditAction>;
