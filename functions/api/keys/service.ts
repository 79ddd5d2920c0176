import type { KeyRotation } from '../../../shared/contracts/credentials';
import type { StoredEnvelope } from '../../platform/db/schema/credentials';
import type { Db } from '../../platform/db/types';
import { type Envelope, rewrapKey } from '../../platform/keys/envelope';
import type { LocalKeyProvider } from '../../platform/keys/local';
import {
  type EncryptionContext,
  KeyIntegrityError,
  type KeyProvider,
  UnknownKeyError,
} from '../../platform/keys/types';
import { checkpointContext } from '../audit/checkpoint';
import { macKeyContext } from '../audit/mac-key';
import { recordEvent } from '../audit/writer';
import { pipelineSecretContext } from '../ci/pipelines';
import type { ServiceCtx } from '../context';
import { credentialContext } from '../credentials/service';
import type { Deps } from '../deps';
import { endpointSecretContext } from '../notifications/endpoints';
import { releaseContext, tagKeyContext } from '../releases/revision';
import {
  checkpointKeys,
  credentialEnvelopes,
  keyIdsInUse,
  macKeyPage,
  notificationEnvelopes,
  pipelineEnvelopes,
  releaseEnvelopes,
  replaceAuditMacKey,
  replaceCheckpointKey,
  replaceCredentialEnvelope,
  replaceNotificationEnvelope,
  replacePipelineEnvelope,
  replaceReleaseEnvelope,
  replaceTargetTagKey,
  targetTagKeys,
} from './repo';

type Purpose = keyof KeyRotation['rewrapped'];
type Tally = { rewrapped: Record<Purpose, number>; failed: Record<Purpose, number>; failedIds: string[] };
/** One row's data key, and how to store it re-wrapped (false: the row changed meanwhile). */
type Item = {
  id: string;
  ref: { wrapped_key: string; key_id: string };
  ctx: EncryptionContext;
  save(next: { wrapped_key: string; key_id: string }): Promise<boolean>;
};

const isLocal = (k: KeyProvider): k is LocalKeyProvider => k.kind === 'local' && 'rotate' in k;
/** At most this many failed row ids go into the audit event. */
const MAX_FAILED_IDS = 50;

/**
 * SPEC §6 "Keys". Local provider: a new master key becomes current, then every stored data key of
 * every purpose (credential envelopes, release secret envelopes, targets' tag keys, CI pipelines'
 * webhook secrets, notification endpoints' signing secrets, audit checkpoint
 * and event MAC keys) is
 * re-wrapped under it, so old checkpoints still verify and the old master key file can be retired
 * once no row names it (`key_ids_in_use`). KMS: KMS rotates its own key material; what moves here is
 * the configured key, and every data key is re-encrypted to it (ReEncrypt: the data key never
 * leaves KMS). Rows are updated one by one, each in its own small transaction, so a long rotation
 * never holds locks; sealed data and MACs are untouched. Re-running is safe.
 */
export async function rotateKeys(
  deps: Pick<Deps, 'database' | 'clock' | 'keys' | 'config'>,
  actor: ServiceCtx['actor'],
): Promise<KeyRotation> {
  const { db } = deps.database;
  const keys = deps.keys;
  let previous: string | null = null;
  let keyId: string;
  if (isLocal(keys)) {
    previous = await keys.currentKeyId();
    keyId = await keys.rotate();
  } else {
    keyId = deps.config.kmsKeyId ?? 'kms';
  }
  // A local row already under the new key needs nothing; a KMS key id may be an alias, so KMS
  // re-encrypts every row (ReEncrypt to the key a row already uses is harmless).
  const current = (ref: { key_id: string }) => isLocal(keys) && ref.key_id === keyId;
  const tally: Tally = {
    rewrapped: {
      credentials: 0,
      releases: 0,
      checkpoints: 0,
      audit_keys: 0,
      target_keys: 0,
      pipeline_secrets: 0,
      notification_secrets: 0,
    },
    failed: {
      credentials: 0,
      releases: 0,
      checkpoints: 0,
      audit_keys: 0,
      target_keys: 0,
      pipeline_secrets: 0,
      notification_secrets: 0,
    },
    failedIds: [],
  };

  await rewrapAll(keys, tally, 'credentials', current, async (after) =>
    (await credentialEnvelopes(db, after)).map((r) => ({
      id: r.id,
      ref: r.envelope,
      ctx: credentialContext(r),
      save: (next) =>
        inTx(db, (tx) =>
          replaceCredentialEnvelope(tx, r.id, r.envelope.wrapped_key, { ...r.envelope, ...next }),
        ),
    })),
  );
  await rewrapAll(keys, tally, 'releases', current, async (after) =>
    (await releaseEnvelopes(db, after)).map((r) => {
      const envelope = r.envelope as StoredEnvelope;
      return {
        id: r.id,
        ref: envelope,
        ctx: releaseContext(r),
        save: (next) =>
          inTx(db, (tx) => replaceReleaseEnvelope(tx, r.id, envelope.wrapped_key, { ...envelope, ...next })),
      };
    }),
  );
  await rewrapAll(keys, tally, 'target_keys', current, async (after) =>
    (await targetTagKeys(db, after)).map((r) => {
      const envelope = r.envelope as StoredEnvelope;
      return {
        id: r.id,
        ref: envelope,
        ctx: tagKeyContext(r),
        save: (next) =>
          inTx(db, (tx) => replaceTargetTagKey(tx, r.id, envelope.wrapped_key, { ...envelope, ...next })),
      };
    }),
  );
  await rewrapAll(keys, tally, 'pipeline_secrets', current, async (after) =>
    (await pipelineEnvelopes(db, after)).map((r) => ({
      id: r.id,
      ref: r.envelope,
      ctx: pipelineSecretContext({ id: r.id, projectId: r.projectId }),
      save: (next) =>
        inTx(db, (tx) =>
          replacePipelineEnvelope(tx, r.id, r.envelope.wrapped_key, { ...r.envelope, ...next }),
        ),
    })),
  );
  await rewrapAll(keys, tally, 'notification_secrets', current, async (after) =>
    (await notificationEnvelopes(db, after)).map((r) => ({
      id: r.id,
      ref: r.envelope,
      ctx: endpointSecretContext({ id: r.id, projectId: r.projectId }),
      save: (next) =>
        inTx(db, (tx) =>
          replaceNotificationEnvelope(tx, r.id, r.envelope.wrapped_key, { ...r.envelope, ...next }),
        ),
    })),
  );
  await rewrapAll(keys, tally, 'checkpoints', current, async (after) =>
    (await checkpointKeys(db, after)).map((r) => ({
      id: r.id,
      ref: { wrapped_key: r.wrappedKey, key_id: r.keyId },
      ctx: checkpointContext(r.id),
      save: (next) =>
        inTx(db, (tx) => replaceCheckpointKey(tx, r.id, r.wrappedKey, next.wrapped_key, next.key_id)),
    })),
  );
  await rewrapAll(keys, tally, 'audit_keys', current, async (after) =>
    (await macKeyPage(db, after)).map((r) => ({
      id: r.id,
      ref: { wrapped_key: r.wrappedKey, key_id: r.keyId },
      ctx: macKeyContext(r.id),
      save: (next) =>
        inTx(db, (tx) => replaceAuditMacKey(tx, r.id, r.wrappedKey, next.wrapped_key, next.key_id)),
    })),
  );

  const inUse = await keyIdsInUse(db);
  const failed = Object.values(tally.failed).some((n) => n > 0);
  await db.transaction((tx) =>
    recordEvent(tx, deps.clock, {
      action: 'keys.rotated',
      resourceType: 'key',
      resourceId: keyId,
      actor,
      status: failed ? 'partial' : 'succeeded',
      detail: {
        provider: keys.kind,
        previous_key_id: previous,
        key_id: keyId,
        rewrapped: tally.rewrapped,
        failed: tally.failed,
        failed_ids: tally.failedIds,
        key_ids_in_use: inUse,
      },
    }),
  );
  return { key_id: keyId, rewrapped: tally.rewrapped, failed: tally.failed, key_ids_in_use: inUse };
}

const inTx = <T>(db: Db, fn: (tx: Db) => Promise<T>) => db.transaction(fn);

async function rewrapAll(
  keys: KeyProvider,
  tally: Tally,
  purpose: Purpose,
  current: (ref: { key_id: string }) => boolean,
  pageAfter: (after: string) => Promise<Item[]>,
) {
  let after = '';
  for (;;) {
    const items = await pageAfter(after);
    if (!items.length) return;
    for (const item of items) {
      if (current(item.ref)) continue;
      let next: { wrapped_key: string; key_id: string };
      try {
        next = await rewrapKey(keys, item.ref as Envelope, item.ctx);
      } catch (e) {
        // A damaged row or one naming a key this provider does not have: it keeps its old key,
        // and the answer and the audit event say so. Anything else (KMS unreachable) stops here.
        if (!(e instanceof KeyIntegrityError || e instanceof UnknownKeyError)) throw e;
        tally.failed[purpose] += 1;
        if (tally.failedIds.length < MAX_FAILED_IDS) tally.failedIds.push(item.id);
        continue;
      }
      if (await item.save({ wrapped_key: next.wrapped_key, key_id: next.key_id }))
        tally.rewrapped[purpose] += 1;
    }
    after = items.at(-1)!.id;
  }
}
