import type { AuditEvent } from '../../../shared/contracts/audit';
import { invalid } from '../errors';
import type { Keyset } from '../pagination';
import type { AuditRow } from './repo';

export const toAuditEvent = (e: AuditRow): AuditEvent => ({
  event_id: e.id,
  id: e.id,
  seq: e.seq,
  action: e.action,
  resource_type: e.resourceType,
  resource_id: e.resourceId,
  project_id: e.projectId,
  team_id: e.teamId,
  environment_id: e.environmentId,
  actor_id: e.actorId,
  source: e.source as AuditEvent['source'],
  status: e.status,
  occurred_at: e.occurredAt.toISOString(),
  detail: e.detail,
  prev_hash: e.prevHash,
  hash: e.hash,
});

/** The audit stream pages by the last seq seen: events are read in chain order. */
export const bySeq: Keyset<AuditRow, number> = {
  keyOf: (e) => Buffer.from(String(e.seq)).toString('base64url'),
  decode(cursor) {
    const n = Number(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!Number.isSafeInteger(n) || n < 0) throw invalid('cursor', 'not a cursor this API issued');
    return n;
  },
};
