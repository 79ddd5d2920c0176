import { createHmac, randomBytes } from 'node:crypto';
import type { FieldError } from '../../../shared/errors';
import {
  composeEscape,
  composeRevision,
  composeTaggedText,
  k8sRevision,
  k8sTaggedText,
  type Revision,
  secretVariableDigests,
  taggedMask,
  validateCompose,
  validateK8s,
} from '../../../shared/releases';
import type { StoredEnvelope } from '../../platform/db/schema/credentials';
import type { Db } from '../../platform/db/types';
import { open, seal } from '../../platform/keys/envelope';
import type { EncryptionContext, KeyProvider } from '../../platform/keys/types';
import { keepTagKey, type ReleaseRow, type TargetRow } from './repo';

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

/** Context of a target's tag key: the same purpose as the releases' envelopes, naming the target. */
export const tagKeyContext = (t: Pick<TargetRow, 'id' | 'projectId'>): EncryptionContext => ({
  purpose: 'release_secret',
  project_id: t.projectId,
  target_id: t.id,
});

/**
 * The key of the tags in a target's masked revisions, made and sealed on its first preview and kept
 * for the target's life, so tags compare across its releases. Of two first previews at once, the
 * key stored first wins and both use it. Its creation is no event of its own: the release.previewed
 * event that follows says a key was made.
 */
export async function targetTagKey(db: Db, keys: KeyProvider, target: TargetRow) {
  let envelope = target.tagKeyEnvelope;
  let created = false;
  if (!envelope) {
    const fresh = randomBytes(32);
    const sealed = (await seal(keys, fresh, tagKeyContext(target))) as StoredEnvelope;
    fresh.fill(0);
    envelope = await keepTagKey(db, target.id, sealed);
    created = envelope.wrapped_key === sealed.wrapped_key;
  }
  return { key: await open(keys, envelope as never, tagKeyContext(target)), created };
}

export type Materialised =
  | { ok: true; text: string; revision: Revision; warnings: FieldError[]; masked: string | null }
  | { ok: false; fields: FieldError[] };

/**
 * Validates rendered text for the target's runtime and builds its masked revision, and with the
 * target's tag key the masked text people read back (each secret `***` and its tag). For k8s the
 * text that runs is the normalised one (namespace forced), so that is what is digested and sealed.
 */
export function materialise(
  target: TargetRow,
  rendered: string,
  secretValues: Record<string, string>,
  digestKey: string,
  tagKey?: Buffer,
): Materialised {
  const show = tagKey ? taggedMask(tagKey) : null;
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
    return {
      ok: true,
      text: v.text,
      revision: k8sRevision(v.documents, secrets),
      warnings: v.warnings,
      masked: show ? k8sTaggedText(v.documents, secretValues, show) : null,
    };
  }
  const v = validateCompose(rendered);
  if (!v.ok) return v;
  return {
    ok: true,
    text: rendered,
    revision: composeRevision(rendered, v.document, secrets),
    warnings: v.warnings,
    masked: show ? composeTaggedText(rendered, secretValues, show) : null,
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
