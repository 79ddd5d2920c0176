import type { AuditAction } from '../../shared/events';
import type { StoredEnvelope } from '../platform/db/schema/credentials';
import type { Db } from '../platform/db/types';
import { SHREDDED_ENVELOPE } from '../platform/keys/sealed-secret';
import type { KeyProvider } from '../platform/keys/types';
import { recordEvent } from './audit/writer';
import type { ServiceCtx } from './context';
import { notFound } from './errors';

type SealedRow = { id: string; projectId: string; secretEnvelope: StoredEnvelope; updatedAt: Date };

/**
 * A table whose rows carry a secret sealed to them (a pipeline's webhook secret, an endpoint's
 * signing secret). Rotating and deleting such a row is one flow whatever the table: lock the live
 * row, change it, record the table's own audit action.
 */
export type SealedRows<Row extends SealedRow> = {
  /** The audit resource type and the actions rotating and deleting record, spelled out so they can be searched for. */
  audit: { resourceType: string; rotated: AuditAction; deleted: AuditAction };
  /** What a 404 calls a missing or deleted row. */
  noun: string;
  lock(db: Db, id: string): Promise<Row | undefined>;
  update(
    db: Db,
    id: string,
    set: { secretEnvelope: StoredEnvelope; secretRotatedAt?: Date; deletedAt?: Date },
    now: Date,
  ): Promise<void>;
  seal(keys: KeyProvider, row: Row, secret: string): Promise<StoredEnvelope>;
};

/** Seals `newSecret` to the row in place of the old one: from now on only the new one holds. */
export async function rotateSealedSecret<Row extends SealedRow>(
  rows: SealedRows<Row>,
  id: string,
  ctx: ServiceCtx & { keys: KeyProvider },
  newSecret: (row: Row) => string,
): Promise<{ row: Row & { secretRotatedAt: Date }; secret: string }> {
  return ctx.db.transaction(async (tx) => {
    const current = await rows.lock(tx, id);
    if (!current) throw notFound(rows.noun);
    const secret = newSecret(current);
    const now = ctx.clock.now();
    const secretEnvelope = await rows.seal(ctx.keys, current, secret);
    await rows.update(tx, id, { secretEnvelope, secretRotatedAt: now }, now);
    await recordEvent(tx, ctx.clock, {
      action: rows.audit.rotated,
      resourceType: rows.audit.resourceType,
      resourceId: id,
      projectId: current.projectId,
      actor: ctx.actor,
    });
    return { row: { ...current, secretEnvelope, secretRotatedAt: now, updatedAt: now }, secret };
  });
}

/** Soft delete that shreds the sealed secret, so nothing can sign or verify as this row again. */
export async function deleteSealedRow<Row extends SealedRow>(
  rows: SealedRows<Row>,
  id: string,
  ctx: ServiceCtx,
): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const current = await rows.lock(tx, id);
    if (!current) throw notFound(rows.noun);
    const now = ctx.clock.now();
    await rows.update(tx, id, { deletedAt: now, secretEnvelope: SHREDDED_ENVELOPE }, now);
    await recordEvent(tx, ctx.clock, {
      action: rows.audit.deleted,
      resourceType: rows.audit.resourceType,
      resourceId: id,
      projectId: current.projectId,
      actor: ctx.actor,
    });
  });
}
