import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, mergePolicy, needsTicket } from './policy';

describe('approval policy', () => {
  it('asks for tickets in production only, by default', () => {
    expect(needsTicket(DEFAULT_POLICY, 'production', 'apply')).toBe(true);
    expect(needsTicket(DEFAULT_POLICY, 'production', 'rollback')).toBe(true);
    expect(needsTicket(DEFAULT_POLICY, 'production', 'install')).toBe(true);
    expect(needsTicket(DEFAULT_POLICY, 'staging', 'apply')).toBe(false);
    expect(needsTicket(DEFAULT_POLICY, 'development', 'apply')).toBe(false);
  });

  it('merges only the fields it is given', () => {
    const merged = mergePolicy(DEFAULT_POLICY, {
      preview_ttl_seconds: 2,
      tickets: { staging: ['apply', 'apply'] },
    });
    expect(merged).toEqual({
      preview_ttl_seconds: 2,
      ticket_ttl_seconds: 1800,
      tickets: { development: [], staging: ['apply'], production: ['apply', 'rollback', 'install'] },
      ci_triggers_enabled: true,
    });
    expect(DEFAULT_POLICY.preview_ttl_seconds).toBe(900);
    expect(mergePolicy(merged, { ci_triggers_enabled: false }).ci_triggers_enabled).toBe(false);
  });
});
