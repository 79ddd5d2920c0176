import { canonicalJson } from '../../../shared/canonical-json';
import type { Clock } from '../../platform/clock';
import type { Db } from '../../platform/db/types';
import { newId } from '../../platform/ids';
import { hmac, type MacRecord, verifyHmac } from '../../platform/keys/envelope';
import type { EncryptionContext, KeyProvider } from '../../platform/keys/types';
import { eventHash, GENESIS_HASH } from './chain';
import {
  type CheckpointRow,
  eventAt,
  eventsAfter,
  insertCheckpoint,
  lastEvent,
  latestCheckpoint,
  listCheckpoints,
} from './checkpoint-repo';

/** A checkpoint after this many new events, or after this long with any new event. */
export const CHECKPOINT_EVERY_EVENTS = 100;
export const CHECKPOINT_EVERY_MS = 5 * 60 * 1000;

const macInput = (c: Pick<CheckpointRow, 'lastEventId' | 'lastSeq' | 'eventCount' | 'lastHash'>) =>
  Buffer.from(
    canonicalJson({
      last_event_id: c.lastEventId,
      last_seq: c.lastSeq,
      count: c.eventCount,
      hash: c.lastHash,
    }),
    'utf8',
  );

export const checkpointContext = (id: string): EncryptionContext => ({
  purpose: 'audit_checkpoint',
  checkpoint_id: id,
});

/**
 * Anchors the chain's current head with an HMAC under a data key from the key provider. Someone
 * with the database alone cannot make a valid MAC, so cutting the tail below an anchor, or
 * rewriting history and re-hashing it, shows at verify.
 */
export async function checkpointIfDue(db: Db, clock: Clock, keys: KeyProvider, force = false) {
  const head = await lastEvent(db);
  if (!head) return null;
  const prev = await latestCheckpoint(db);
  if (prev && prev.lastSeq >= head.seq) return null;
  const due =
    force ||
    !prev ||
    head.seq - prev.lastSeq >= CHECKPOINT_EVERY_EVENTS ||
    clock.now().getTime() - prev.createdAt.getTime() >= CHECKPOINT_EVERY_MS;
  if (!due) return null;
  const id = newId('ckp');
  const fields = { lastEventId: head.id, lastSeq: head.seq, eventCount: head.seq, lastHash: head.hash };
  const mac = await hmac(keys, macInput(fields), checkpointContext(id));
  const row: CheckpointRow = {
    id,
    ...fields,
    mac: mac.mac,
    wrappedKey: mac.wrapped_key,
    keyId: mac.key_id,
    createdAt: clock.now(),
  };
  // The unique last_seq makes a racing second checkpoint of the same head fail harmlessly.
  await insertCheckpoint(db, row).catch(() => undefined);
  return row;
}

export type VerifyResult = {
  ok: boolean;
  count: number;
  first_bad_event_id: string | null;
  truncated_after: string | null;
};

const PAGE = 2000;

/**
 * Walks the chain in seq order: consecutive seq (a deleted event leaves a gap), each prev_hash the
 * hash before it, each hash recomputed. Then every checkpoint: its MAC must hold and the event it
 * anchors must still be there with the same hash; an anchor beyond the last event is a cut tail.
 */
export async function verifyChain(db: Db, keys: KeyProvider): Promise<VerifyResult> {
  let count = 0;
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let firstBad: string | null = null;
  let lastId: string | null = null;
  for (let after = 0; ; ) {
    const page = await eventsAfter(db, after, PAGE);
    for (const e of page) {
      count += 1;
      if (!firstBad && (e.seq !== expectedSeq || e.prevHash !== prevHash || e.hash !== eventHash(e)))
        firstBad = e.id;
      expectedSeq = e.seq + 1;
      prevHash = e.hash;
      lastId = e.id;
    }
    if (page.length < PAGE) break;
    after = page.at(-1)!.seq;
  }

  let truncatedAfter: string | null = null;
  for (const c of await listCheckpoints(db)) {
    const record: MacRecord = { v: 1, alg: 'HS256', mac: c.mac, wrapped_key: c.wrappedKey, key_id: c.keyId };
    if (!(await verifyHmac(keys, macInput(c), record, checkpointContext(c.id)))) {
      firstBad ??= c.lastEventId;
      continue;
    }
    const anchored = await eventAt(db, c.lastSeq);
    if (!anchored) {
      // The anchored event is gone: the tail was cut (or the event deleted, which the walk saw).
      if (c.lastSeq >= expectedSeq) truncatedAfter = lastId ?? 'genesis';
      continue;
    }
    if (anchored.id !== c.lastEventId || anchored.hash !== c.lastHash) firstBad ??= anchored.id;
  }
  return {
    ok: firstBad === null && truncatedAfter === null,
    count,
    first_bad_event_id: firstBad,
    truncated_after: truncatedAfter,
  };
}
