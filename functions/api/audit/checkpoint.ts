import { canonicalJson } from '../../../shared/canonical-json';
import type { AnchoredCheckpoint } from '../../platform/anchor/types';
import { newId } from '../../platform/ids';
import { hmac } from '../../platform/keys/envelope';
import type { EncryptionContext } from '../../platform/keys/types';
import type { Deps } from '../deps';
import {
  type CheckpointRow,
  eventAt,
  insertCheckpoint,
  lastEvent,
  latestCheckpoint,
  lockCheckpoints,
  markAnchored,
  unanchoredCheckpoints,
} from './checkpoint-repo';
import { macStart } from './mac-repo';

/** A checkpoint at every multiple of this many events, and one at the head on every sweep. */
export const CHECKPOINT_EVERY_EVENTS = 100;
/** What the first checkpoint links to in place of a previous checkpoint's MAC. */
export const GENESIS_MAC = 'genesis';

/** Checkpoints from before they were chained have no prev_mac, and their MAC does not cover one. */
export const checkpointMacInput = (
  c: Pick<CheckpointRow, 'lastEventId' | 'lastSeq' | 'eventCount' | 'lastHash' | 'prevMac'>,
) =>
  Buffer.from(
    canonicalJson({
      last_event_id: c.lastEventId,
      last_seq: c.lastSeq,
      count: c.eventCount,
      hash: c.lastHash,
      ...(c.prevMac === null ? {} : { prev_mac: c.prevMac }),
    }),
    'utf8',
  );

export const checkpointContext = (id: string): EncryptionContext => ({
  purpose: 'audit_checkpoint',
  checkpoint_id: id,
});

type CheckpointDeps = Pick<Deps, 'database' | 'clock' | 'keys' | 'auditAnchor'>;

/**
 * Covers every event not yet covered (SPEC §7.5): one checkpoint at each multiple of 100 and one
 * at the head, each over the range from the first event, each MAC covering the previous one's,
 * under a data key of its own. The sweep calls this every run, so an event is covered within one
 * sweep period. Then every checkpoint not yet written outside the database is anchored.
 * Returns the checkpoints made this time.
 */
export async function checkpointIfDue(deps: CheckpointDeps): Promise<CheckpointRow[]> {
  const made = await deps.database.db.transaction(async (tx) => {
    // Its own lock, not the chain's: appends go on while the MACs are computed.
    await lockCheckpoints(tx);
    const head = await lastEvent(tx);
    const prev = await latestCheckpoint(tx);
    const from = prev?.lastSeq ?? 0;
    if (!head || head.seq <= from) return [];
    const seqs: number[] = [];
    const firstRound = (Math.floor(from / CHECKPOINT_EVERY_EVENTS) + 1) * CHECKPOINT_EVERY_EVENTS;
    for (let s = firstRound; s < head.seq; s += CHECKPOINT_EVERY_EVENTS) seqs.push(s);
    seqs.push(head.seq);
    const rows: CheckpointRow[] = [];
    let prevMac = prev?.mac ?? GENESIS_MAC;
    for (const seq of seqs) {
      const e = seq === head.seq ? head : await eventAt(tx, seq);
      if (!e) break;
      const id = newId('ckp');
      const fields = { lastEventId: e.id, lastSeq: e.seq, eventCount: e.seq, lastHash: e.hash, prevMac };
      const mac = await hmac(deps.keys, checkpointMacInput(fields), checkpointContext(id));
      const row: CheckpointRow = {
        id,
        ...fields,
        mac: mac.mac,
        wrappedKey: mac.wrapped_key,
        keyId: mac.key_id,
        createdAt: deps.clock.now(),
        anchoredAt: null,
      };
      await insertCheckpoint(tx, row);
      rows.push(row);
      prevMac = row.mac;
    }
    return rows;
  });
  await anchorPending(deps);
  return made;
}

/**
 * Writes every checkpoint the anchor does not have yet, oldest first, after the database has them:
 * a failed write leaves the checkpoint pending and the next sweep tries again.
 */
async function anchorPending(deps: CheckpointDeps) {
  const { db } = deps.database;
  const from = await macStart(db);
  for (const c of await unanchoredCheckpoints(db)) {
    await deps.auditAnchor.append(toAnchored(c, from));
    await markAnchored(db, c.id, deps.clock.now());
  }
}

export const toAnchored = (c: CheckpointRow, macFrom: number): AnchoredCheckpoint => ({
  id: c.id,
  last_event_id: c.lastEventId,
  last_seq: c.lastSeq,
  count: c.eventCount,
  hash: c.lastHash,
  mac: c.mac,
  prev_mac: c.prevMac,
  mac_from: macFrom,
  created_at: c.createdAt.toISOString(),
});
