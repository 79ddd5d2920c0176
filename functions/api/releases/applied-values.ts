import type { Db } from '../../platform/db/types';
import type { KeyProvider } from '../../platform/keys/types';
import { findRelease, type ReleaseRow, type TargetRow } from './repo';
import { openRevision } from './revision';

/** How every masked value reads (SPEC §3): a value of exactly this is refused as a secret. */
export const MASK = '***';

/** The release running on the target, when it is one of this service's (never another's, §7.0). */
export async function appliedOfService(
  db: Db,
  target: TargetRow,
  serviceId: string,
): Promise<ReleaseRow | undefined> {
  if (!target.appliedReleaseId) return undefined;
  const r = await findRelease(db, target.appliedReleaseId);
  return r?.serviceId === serviceId ? r : undefined;
}

/**
 * The names that were secret in a release without opening it: the masked variables show each as
 * `***`. A plain value that happens to be `***` reads the same masked or not, so counting it as
 * secret shows nothing it should not.
 */
export const maskedNames = (r: ReleaseRow): string[] =>
  Object.entries(r.variablesMasked)
    .filter(([, v]) => v === MASK)
    .map(([k]) => k);

/**
 * The values of `names` the release had, unmasked, and which of them were secret there (the keys
 * of its sealed secret values): a secret stays secret in the release that re-uses it.
 */
export async function reusableValues(keys: KeyProvider, r: ReleaseRow, names: string[]) {
  const sealed = await openRevision(keys, r);
  const values: Record<string, string> = {};
  const secret: string[] = [];
  for (const name of names) {
    if (Object.hasOwn(sealed.secret_values, name)) {
      values[name] = sealed.secret_values[name]!;
      secret.push(name);
    } else if (Object.hasOwn(r.variablesMasked, name)) values[name] = String(r.variablesMasked[name]);
  }
  return { values, secret };
}
