import type { KeyProvider } from '../../platform/keys/types';
import { type JobKinds, kindOf } from '../jobs/kind';
import type { SecretsOf } from '../jobs/mask';
import type { JobRow } from '../jobs/repo';
import { buildWorkOrder } from './work-order';

/**
 * The secret values sealed into each lease's work order, kept in this process from the claim to
 * the completion so that masking a step or a completion opens no credential again. Keyed by
 * (job, lease token): a lease taken over gets its own entry. A report reaching another instance
 * (or this one after a restart) finds nothing and rebuilds the work order, which costs the
 * key-provider calls of a claim. Bounded, oldest first out; the values are never logged.
 */
const MAX_ENTRIES = 500;
const cache = new Map<string, readonly string[]>();
const keyOf = (jobId: string, leaseToken: number) => `${jobId}:${leaseToken}`;

/** What a work order of this job's kind holds secret (the kind's own `secretsOf`), non-empty only. */
export function secretsOfOrder(kinds: JobKinds, kind: string, order: unknown): string[] {
  const def = kindOf(kinds, kind)?.definition;
  if (!def) return [];
  return def.secretsOf(order as never).filter((s): s is string => typeof s === 'string' && s.length > 0);
}

export function rememberSecrets(jobId: string, leaseToken: number, secrets: readonly string[]) {
  const key = keyOf(jobId, leaseToken);
  cache.delete(key);
  cache.set(key, secrets);
  while (cache.size > MAX_ENTRIES) {
    const oldest = cache.keys().next().value;
    if (oldest === undefined) break;
    cache.delete(oldest);
  }
}

export function forgetSecrets(jobId: string, leaseToken: number) {
  cache.delete(keyOf(jobId, leaseToken));
}

/** The secrets of a held lease: remembered at claim, or read again from a rebuilt work order. */
export function leaseSecrets(keys: KeyProvider, kinds: JobKinds, leaseToken: number): SecretsOf {
  return async (tx, job: JobRow) => {
    const known = cache.get(keyOf(job.id, leaseToken));
    if (known) return known;
    try {
      const secrets = secretsOfOrder(kinds, job.kind, await buildWorkOrder(tx, keys, job, kinds));
      rememberSecrets(job.id, leaseToken, secrets);
      return secrets;
    } catch {
      // A work order that no longer builds (a credential deleted meanwhile): withhold, never store raw.
      return null;
    }
  };
}
