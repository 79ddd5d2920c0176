/**
 * A copy of every audit checkpoint outside the database, where someone with database access alone
 * cannot reach it: an append-only file locally, an Object Lock bucket in the cloud. Verify compares
 * the newest one here with the chain, so a cut tail or a rewritten anchored range shows.
 */
export type AnchoredCheckpoint = {
  id: string;
  last_event_id: string;
  last_seq: number;
  count: number;
  hash: string;
  mac: string;
  prev_mac: string | null;
  /**
   * The first seq that carries a MAC when this was written; verify takes the lower of this and
   * the database's, so lifting the database's to skip MACs does not help.
   */
  mac_from: number;
  created_at: string;
};

export interface AuditAnchor {
  readonly kind: 'file' | 's3';
  /** Adds one checkpoint; nothing written before is changed or removed. Writing one twice is harmless. */
  append(c: AnchoredCheckpoint): Promise<void>;
  /** The anchored checkpoint with the highest last_seq, or undefined when none was written yet. */
  latest(): Promise<AnchoredCheckpoint | undefined>;
}

/** Reads one stored checkpoint; anything else (a torn or foreign record) is undefined. */
export function parseAnchored(text: string): AnchoredCheckpoint | undefined {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return undefined;
  }
  const c = v as Partial<AnchoredCheckpoint> | null;
  if (
    !c ||
    typeof c.id !== 'string' ||
    typeof c.last_event_id !== 'string' ||
    !Number.isSafeInteger(c.last_seq) ||
    !Number.isSafeInteger(c.count) ||
    typeof c.hash !== 'string' ||
    typeof c.mac !== 'string' ||
    !(c.prev_mac === null || typeof c.prev_mac === 'string') ||
    !Number.isSafeInteger(c.mac_from) ||
    typeof c.created_at !== 'string'
  )
    return undefined;
  return c as AnchoredCheckpoint;
}
