import { createHmac, randomBytes } from 'node:crypto';
import type { FieldError } from '../../../shared/errors';
import {
  composeEscape,
  composeRevision,
  k8sRevision,
  type Revision,
  secretVariableDigests,
  validateCompose,
  validateK8s,
} from '../../../shared/releases';
import type { StoredEnvelope } from '../../platform/db/schema/credentials';
import type { Db } from '../../platform/db/types';
import { open, seal } from '../../platform/keys/envelope';
import type { EncryptionContext, KeyProvider } from '../../platform/keys/types';
import type { ReleaseRow, TargetRow } from './repo';

/**
 * What only runners and this module ever see: the unmasked revision, the secret values, and the
 * key of this release's digests (so a digest in the row or the audit stream is no oracle for
 * guessing a weak secret offline).
 */
export type SealedRevision = { rendered: string; secret_values: Record<string, string>; digest_key: string };

export const newDigestKey = () => randomBytes(32).toString('base64');

/** The digest recorded for the exact revision that runs: HMAC-SHA256 under the release's own key. */
export const keyedDigest = (digestKey: string, text: string) =>
  createHmac('sha256', Buffer.from(digestKey, 'base64')).update(text, 'utf8').digest('hex');

export const releaseContext = (r: Pick<ReleaseRow, 'id' | 'projectId'>): EncryptionContext => ({
  purpose: 'release_secret',
  project_id: r.projectId,
  release_id: r.id,
});

export async function sealRevision(
  keys: KeyProvider,
  r: Pick<ReleaseRow, 'id' | 'projectId'>,
  s: SealedRevision,
) {
  return (await seal(keys, Buffer.from(JSON.stringify(s), 'utf8'), releaseContext(r))) as StoredEnvelope;
}

export async function openRevision(keys: KeyProvider, r: ReleaseRow): Promise<SealedRevision> {
  if (!r.secretEnvelope) throw new Error(`release ${r.id} has no sealed revision`);
  const plain = await open(keys, r.secretEnvelope as never, releaseContext(r));
  try {
    return JSON.parse(plain.toString('utf8')) as SealedRevision;
  } finally {
    plain.fill(0);
  }
}

export type Materialised =
  | { ok: true; text: string; revision: Revision; warnings: FieldError[] }
  | { ok: false; fields: FieldError[] };

/**
 * Validates rendered text for the target's runtime and builds its masked revision. For k8s the
 * text that runs is the normalised one (namespace forced), so that is what is digested and sealed.
 */
export function materialise(
  target: TargetRow,
  rendered: string,
  secretValues: Record<string, string>,
  digestKey: string,
): Materialised {
  const key = Buffer.from(digestKey, 'base64');
  const values = Object.values(secretValues);
  const secrets = {
    // A compose file holds each value escaped (`$` written `$$`): mask that form too.
    secretValues: target.runtimeType === 'compose' ? [...values, ...values.map(composeEscape)] : values,
    secretVariableDigests: secretVariableDigests(secretValues, Object.keys(secretValues), { key }),
    key,
  };
  if (target.runtimeType === 'k8s') {
    const v = validateK8s(rendered, target.namespace!);
    if (!v.ok) return v;
    return { ok: true, text: v.text, revision: k8sRevision(v.documents, secrets), warnings: v.warnings };
  }
  const v = validateCompose(rendered);
  if (!v.ok) return v;
  return {
    ok: true,
    text: rendered,
    revision: composeRevision(rendered, v.document, secrets),
    warnings: v.warnings,
  };
}

/** The release running on the target now and its sealed revision (one key unwrap). */
export async function runningRevision(
  db: Db,
  keys: KeyProvider,
  target: TargetRow,
  find: (db: Db, id: string) => Promise<ReleaseRow | undefined>,
) {
  if (!target.appliedReleaseId) return null;
  const release = await find(db, target.appliedReleaseId);
  if (!release) return null;
  const sealed = await openRevision(keys, release);
  return { release, sealed };
}
