import { describe, expect, it } from 'vitest';
import { eventPatternProblem, matchesEvents, NOTIFIABLE_EVENTS } from './events';

describe('notification event patterns', () => {
  it('takes the five families as prefixes and their audit names exactly', () => {
    for (const ok of ['release.*', 'approval.*', 'environment.install_*', 'install_task.*', 'build.*'])
      expect(eventPatternProblem(ok)).toBeUndefined();
    expect(eventPatternProblem('release.applied')).toBeUndefined();
    expect(eventPatternProblem('environment.install_step_failed')).toBeUndefined();
    expect(NOTIFIABLE_EVENTS).toContain('build.received');
  });

  it('refuses other families, made-up names and partial prefixes', () => {
    expect(eventPatternProblem('credential.revealed')).toMatch(/not an audit event name/);
    expect(eventPatternProblem('release.launched')).toMatch(/not an audit event name/);
    expect(eventPatternProblem('*')).toMatch(/a prefix must be one of/);
    expect(eventPatternProblem('rel*')).toMatch(/a prefix must be one of/);
    expect(eventPatternProblem('environment.*')).toMatch(/a prefix must be one of/);
  });

  it('matches by prefix or exact name, and never outside the families', () => {
    expect(matchesEvents('release.failed', ['release.*'])).toBe(true);
    expect(matchesEvents('release.failed', ['release.applied'])).toBe(false);
    expect(matchesEvents('environment.install_step_started', ['environment.install_*'])).toBe(true);
    expect(matchesEvents('environment.created', ['environment.install_*'])).toBe(false);
    expect(matchesEvents('approval.approved', ['build.*', 'approval.approved'])).toBe(true);
    // Stored patterns are trusted only as far as the list goes.
    expect(matchesEvents('credential.revealed', ['credential.*'])).toBe(false);
  });
});
