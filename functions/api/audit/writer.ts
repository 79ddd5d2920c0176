import type { AuditAction, AuditSource } from '../../../shared/events';
import type { Clock } from '../../platform/clock';
import type { Db } from '../../platform/db/types';
import { newId } from '../../platform/ids';
import { eventHash, GENESIS_HASH } from './chain';
import { epochFor, signEvent } from './mac-key';
import { type AuditRow, insertEvent, lockChain } from './repo';

export type AuditInput = {
  action: AuditAction;
  resourceType: string;
  resourceId: string;
  projectId?: string | null;
  environmentId?: string | null;
  /**
   * `cause` is set on automatic actions (SPEC §7.0 "who acts"): `on_behalf_of` the user whose
   * permissions they use, and what started them (`build_id`); every event they write carries it.
   */
  actor: { userId: string | null; source: AuditSource; cause?: Record<string, string> };
  status?: string;
  detail?: Record<string, unknown>;
};

/**
 * Appends one event. Call it with the transaction of the change it records: if the change rolls
 * back, so does its event, and no change commits without one.
 */
export async function recordEvent(tx: Db, clock: Clock, input: AuditInput): Promise<AuditRow> {
  const epoch = await epochFor(tx);
  const last = await lockChain(tx);
  const occurredAt = clock.now();
  const fields = {
    id: newId('evt', occurredAt.getTime()),
    seq: (last?.seq ?? 0) + 1,
    action: input.action,
    resourceType: input.resourceType,
    resourceId: input.resourceId,
    projectId: input.projectId ?? null,
    // Teams are not modelled yet: SPEC says null until they are.
    teamId: null,
    environmentId: input.environmentId ?? null,
    actorId: input.actor.userId,
    source: input.actor.source,
    status: input.status ?? 'succeeded',
    occurredAt,
    detail: input.actor.cause ? { ...input.detail, ...input.actor.cause } : (input.detail ?? {}),
    prevHash: last?.hash ?? GENESIS_HASH,
  };
  const hash = eventHash(fields);
  const row: AuditRow = { ...fields, hash, ...(await signEvent(tx, clock, epoch, hash, last?.macKeyId)) };
  await insertEvent(tx, row);
  return row;
}

/**
 * Inserts a new row and records the event of its creation in the same transaction. The event
 * names the row (its id; its project, unless the event says otherwise) and whoever is acting.
 */
export async function insertAudited<Row extends { id: string; projectId?: string | null }>(
  tx: Db,
  ctx: { clock: Clock; actor: AuditInput['actor'] },
  insert: (tx: Db, row: Row) => Promise<unknown>,
  row: Row,
  event: Omit<AuditInput, 'resourceId' | 'actor'>,
): Promise<AuditRow> {
  await insert(tx, row);
  return recordEvent(tx, ctx.clock, {
    projectId: row.projectId ?? null,
    ...event,
    resourceId: row.id,
    actor: ctx.actor,
  });
}
