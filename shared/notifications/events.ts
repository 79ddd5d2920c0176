import { AUDIT_ACTIONS } from '../events';

/**
 * The audit event families an endpoint may subscribe to (SPEC §7.2). Others (logins, credential
 * reveals, keys) stay in the audit stream only: they are no one else's business.
 */
export const NOTIFIABLE_PREFIXES = [
  'release.',
  'approval.',
  'environment.install_',
  'install_task.',
  'build.',
] as const;

/** Every audit event name an endpoint may name exactly. */
export const NOTIFIABLE_EVENTS: readonly string[] = AUDIT_ACTIONS.filter((a) =>
  NOTIFIABLE_PREFIXES.some((p) => a.startsWith(p)),
);

/** Why a subscription entry is not one; undefined when it is an event name or `<prefix>*`. */
export function eventPatternProblem(pattern: string): string | undefined {
  if (pattern.endsWith('*')) {
    const prefix = pattern.slice(0, -1);
    if ((NOTIFIABLE_PREFIXES as readonly string[]).includes(prefix)) return undefined;
    return `a prefix must be one of ${NOTIFIABLE_PREFIXES.map((p) => `${p}*`).join(', ')}`;
  }
  if (NOTIFIABLE_EVENTS.includes(pattern)) return undefined;
  return 'not an audit event name an endpoint may subscribe to';
}

/** Whether an audit event with this action matches any of an endpoint's patterns. */
export function matchesEvents(action: string, patterns: readonly string[]): boolean {
  if (!NOTIFIABLE_EVENTS.includes(action)) return false;
  return patterns.some((p) => (p.endsWith('*') ? action.startsWith(p.slice(0, -1)) : action === p));
}
