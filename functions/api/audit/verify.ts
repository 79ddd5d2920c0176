import { timingSafeEqual } from 'node:crypto';
import type { AnchoredCheckpoint } from '../../platform/anchor/types';
import type { Db } from '../../platform/db/types';
import { type MacRecord, verifyHmac } from '../../platform/keys/envelope';
import { KeyIntegrityError, type KeyProvider } from '../../platform/keys/types';
import type { Deps } from '../deps';
import { eventHash, GENESIS_HASH } from './chain';
import { checkpointContext, checkpointMacInput, GENESIS_MAC } from './checkpoint';
import { eventsAfter, listCheckpoints } from './checkpoint-repo';
import { eventMac, macKeyContext } from './mac-key';
import { macKeysById, macStart } from './mac-repo';

export type VerifyResult = {
  ok: boolean;
  count: number;
  first_bad_event_id: string | null;
  truncated_after: string | null;
  /** Events after the newest anchored checkpoint: chained and MACed, but a cut among them would not show. */
  unanchored_tail: { count: number; since: string | null };
};

const PAGE = 2000;

/** Unwraps each epoch's MAC key once per verify; null: missing or not the key provider's. */
function macKeys(db: Db, keys: KeyProvider) {
  const cache = new Map<string, Buffer | null>();
  return async (id: string): Promise<Buffer | null> => {
    if (!cache.has(id)) {
      const [row] = await macKeysById(db, [id]);
      let key: Buffer | null = null;
      if (row) {
        try {
          key = await keys.unwrap(Buffer.from(row.wrappedKey, 'base64'), row.keyId, macKeyContext(id));
        } catch (e) {
          // A forged wrapped key; an unknown key id or an unreachable KMS says nothing about the data.
          if (!(e instanceof KeyIntegrityError)) throw e;
        }
      }
      cache.set(id, key);
    }
    return cache.get(id) ?? null;
  };
}

const sameMac = (expected: string, actual: string) => {
  const a = Buffer.from(expected, 'base64');
  const b = Buffer.from(actual, 'base64');
  return a.length === b.length && timingSafeEqual(a, b);
};

/**
 * SPEC §7.5. Walks the chain in seq order: consecutive seq (a deleted event leaves a gap), each
 * prev_hash the hash before it, each hash recomputed, each MAC under its epoch key — so the first
 * event edited is named even when the rest was re-hashed. Then every checkpoint in the database
 * (MAC, link to the one before, anchored event unchanged), then the newest checkpoint outside the
 * database: events up to it must be there, unchanged; if they end before it, the tail was cut.
 * Events after it are the unanchored tail: checked, but a cut among them cannot be proven.
 */
export async function verifyChain(
  db: Db,
  keys: KeyProvider,
  anchor: Deps['auditAnchor'],
): Promise<VerifyResult> {
  // Both read before the walk, so a checkpoint made meanwhile cannot look like a cut.
  const anchored = await anchor.latest();
  const checkpoints = await listCheckpoints(db);
  const anchoredSeq = anchored?.last_seq ?? 0;
  const wanted = new Set([anchoredSeq, ...checkpoints.map((c) => c.lastSeq)]);
  const macFrom = Math.min(await macStart(db), anchored?.mac_from ?? Number.POSITIVE_INFINITY);
  const keyOf = macKeys(db, keys);
  let count = 0;
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let firstBad: string | null = null;
  let lastId: string | null = null;
  const tail = { count: 0, since: null as string | null };
  const bySeq = new Map<number, { id: string; hash: string }>();
  for (let after = 0; ; ) {
    const page = await eventsAfter(db, after, PAGE);
    for (const e of page) {
      count += 1;
      const key = e.seq >= macFrom && e.macKeyId ? await keyOf(e.macKeyId) : null;
      const macOk =
        e.seq < macFrom || (key !== null && e.mac !== null && sameMac(e.mac, eventMac(key, e.hash)));
      if (
        !firstBad &&
        (e.seq !== expectedSeq || e.prevHash !== prevHash || e.hash !== eventHash(e) || !macOk)
      )
        firstBad = e.id;
      if (wanted.has(e.seq)) bySeq.set(e.seq, { id: e.id, hash: e.hash });
      if (e.seq > anchoredSeq) {
        tail.count += 1;
        tail.since ??= e.occurredAt.toISOString();
      }
      expectedSeq = e.seq + 1;
      prevHash = e.hash;
      lastId = e.id;
    }
    if (page.length < PAGE) break;
    after = page.at(-1)!.seq;
  }

  let truncatedAfter: string | null = null;
  const cut = () => lastId ?? 'genesis';
  let prevMac: string | null = null;
  for (const c of checkpoints) {
    const record: MacRecord = { v: 1, alg: 'HS256', mac: c.mac, wrapped_key: c.wrappedKey, key_id: c.keyId };
    const linked = c.prevMac === null || c.prevMac === (prevMac ?? GENESIS_MAC);
    prevMac = c.mac;
    if (!linked || !(await verifyHmac(keys, checkpointMacInput(c), record, checkpointContext(c.id)))) {
      firstBad ??= c.lastEventId;
      continue;
    }
    if (c.lastSeq >= expectedSeq) truncatedAfter ??= cut();
    else {
      const e = bySeq.get(c.lastSeq);
      if (!sameEvent(e, c.lastEventId, c.lastHash)) firstBad ??= e?.id ?? c.lastEventId;
    }
  }
  if (anchored) checkAnchor(anchored);

  function checkAnchor(a: AnchoredCheckpoint) {
    if (a.last_seq >= expectedSeq) {
      truncatedAfter ??= cut();
      return;
    }
    const e = bySeq.get(a.last_seq);
    if (!sameEvent(e, a.last_event_id, a.hash)) firstBad ??= e?.id ?? a.last_event_id;
  }

  return {
    ok: firstBad === null && truncatedAfter === null,
    count,
    first_bad_event_id: firstBad,
    truncated_after: truncatedAfter,
    unanchored_tail: tail,
  };
}

const sameEvent = (e: { id: string; hash: string } | undefined, id: string, hash: string) =>
  e !== undefined && e.id === id && e.hash === hash;
