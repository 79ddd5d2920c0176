import { describe, expect, it } from 'vitest';
import {
  assertTransition,
  auditActionForEntering,
  canTransition,
  isTerminal,
  LIFECYCLE_STATES,
  type LifecycleState,
  RELEASE_AUDIT_ACTIONS,
  RELEASE_STATUSES,
  stateOfStatus,
  statusOf,
} from './lifecycle';

/** Written out by hand, apart from the table under test, so a slip in either shows. */
const LEGAL = new Set([
  'preview>pending_approval',
  'preview>approved',
  'preview>expired',
  'pending_approval>approved',
  'pending_approval>rejected',
  'pending_approval>expired',
  'pending_approval>cancelled',
  'approved>applying',
  'approved>failed',
  'approved>expired',
  'approved>cancelled',
  'applying>applied',
  'applying>failed',
  'applied>rollback',
  'failed>rollback',
]);

const PAIRS = LIFECYCLE_STATES.flatMap((from) =>
  LIFECYCLE_STATES.map((to) => ({ from, to, legal: LEGAL.has(`${from}>${to}`) })),
);

describe('release lifecycle transitions', () => {
  it('covers all 100 pairs', () => {
    expect(PAIRS).toHaveLength(100);
  });

  it.each(PAIRS)('$from -> $to is legal: $legal', ({ from, to, legal }) => {
    expect(canTransition(from, to)).toBe(legal);
    const check = assertTransition(from, to);
    expect(check.ok).toBe(legal);
    if (!check.ok) {
      expect(check.code).toBe('ILLEGAL_TRANSITION');
      expect(check.reason).toContain(from);
      expect(check.reason).toContain(to);
    }
  });

  it('explains a refusal from a final state as final', () => {
    expect(assertTransition('rejected', 'approved')).toEqual({
      ok: false,
      code: 'ILLEGAL_TRANSITION',
      reason: 'release is rejected, which is final; it cannot become approved',
    });
  });

  it('names the allowed next states in a refusal', () => {
    expect(assertTransition('preview', 'applying')).toMatchObject({
      ok: false,
      reason: 'release is preview; it can become pending_approval or approved or expired, not applying',
    });
  });

  it.each([
    ['rejected', true],
    ['expired', true],
    ['rollback', true],
    ['cancelled', true],
    ['preview', false],
    ['approved', false],
    ['applied', false],
    ['failed', false],
  ] as const)('%s is terminal: %s', (state, terminal) => {
    expect(isTerminal(state)).toBe(terminal);
  });
});

describe('legacy status', () => {
  it.each([
    ['preview', 'preview'],
    ['pending_approval', 'pending_approval'],
    ['approved', 'approved'],
    ['applying', 'executing'],
    ['applied', 'succeeded'],
    ['failed', 'failed'],
    ['rejected', 'rejected'],
    ['expired', 'expired'],
    ['rollback', 'rolled_back'],
    ['cancelled', 'cancelled'],
  ] as const)('%s reads as %s', (state, status) => {
    expect(statusOf(state)).toBe(status);
    expect(stateOfStatus(status)).toBe(state);
  });

  it('lists one status per state and knows no other word', () => {
    expect(new Set(LIFECYCLE_STATES.map(statusOf))).toEqual(new Set(RELEASE_STATUSES));
    expect(RELEASE_STATUSES).toHaveLength(LIFECYCLE_STATES.length);
    expect(stateOfStatus('running')).toBeUndefined();
  });
});

describe('audit action for entering a state', () => {
  it.each([
    ['preview', 'release.previewed'],
    ['pending_approval', 'release.pending_approval'],
    ['approved', 'release.approved'],
    ['applying', 'release.applying'],
    ['applied', 'release.applied'],
    ['failed', 'release.failed'],
    ['rejected', 'release.rejected'],
    ['expired', 'release.expired'],
    ['rollback', 'release.rollback_completed'],
    ['cancelled', 'release.cancelled'],
  ] as const)('%s writes %s', (state: LifecycleState, action) => {
    expect(auditActionForEntering(state)).toBe(action);
    expect(RELEASE_AUDIT_ACTIONS).toContain(action);
  });
});
