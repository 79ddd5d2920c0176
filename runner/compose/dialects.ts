/**
 * What each host's compose answered to the version probe, kept for the runner's life: the probe
 * costs a second or two per release (docker-compose v1 starts a Python interpreter), and a host's
 * compose rarely changes. Keyed by host, login and the host key the connection saw, so a host
 * that was replaced (a new key) is probed again. A release that fails on a host forgets its entry,
 * so a host whose compose was swapped is probed again on the next release.
 */
import { FINGERPRINT, type HostAccess } from '../../shared/jobs/claim';
import type { ComposeDialect } from './commands';

export type Detected = { dialect: ComposeDialect; version: string };

const known = new Map<string, Detected>();

/** null: no key to remember it by (the connection saw no well-formed host key). */
export function dialectKey(host: HostAccess, observedHostKey: string): string | null {
  if (!FINGERPRINT.test(observedHostKey)) return null;
  return JSON.stringify([host.id, host.address, host.port, host.username, observedHostKey]);
}

export const dialects = {
  get: (key: string | null) => (key ? known.get(key) : undefined),
  set(key: string | null, d: Detected) {
    if (key) known.set(key, d);
  },
  forget(key: string | null) {
    if (key) known.delete(key);
  },
};
