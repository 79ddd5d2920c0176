import { and, asc, eq, gt, isNotNull, isNull, sql } from 'drizzle-orm';
import {
  auditCheckpoints,
  auditMacKeys,
  ciPipelines,
  credentials,
  deployTargets,
  notificationEndpoints,
  releases,
} from '../../platform/db/schema';
import type { StoredEnvelope } from '../../platform/db/schema/credentials';
import type { Db } from '../../platform/db/types';

/**
 * The only SQL that touches wrapped data keys of every purpose, for rotation. Each update is
 * conditional on the wrapped key it replaces: a row re-sealed meanwhile (a credential rotation)
 * already holds a key under the current master key and is left alone.
 */
export const PAGE = 100;

export async function credentialEnvelopes(db: Db, after: string) {
  return db
    .select({
      id: credentials.id,
      projectId: credentials.projectId,
      kind: credentials.kind,
      envelope: credentials.envelope,
    })
    .from(credentials)
    .where(and(isNull(credentials.deletedAt), gt(credentials.id, after)))
    .orderBy(asc(credentials.id))
    .limit(PAGE);
}

export async function replaceCredentialEnvelope(
  db: Db,
  id: string,
  oldWrapped: string,
  envelope: StoredEnvelope,
) {
  const rows = await db
    .update(credentials)
    .set({ envelope })
    .where(and(eq(credentials.id, id), sql`${credentials.envelope}->>'wrapped_key' = ${oldWrapped}`))
    .returning({ id: credentials.id });
  return rows.length === 1;
}

export async function pipelineEnvelopes(db: Db, after: string) {
  return db
    .select({ id: ciPipelines.id, projectId: ciPipelines.projectId, envelope: ciPipelines.secretEnvelope })
    .from(ciPipelines)
    .where(and(isNull(ciPipelines.deletedAt), gt(ciPipelines.id, after)))
    .orderBy(asc(ciPipelines.id))
    .limit(PAGE);
}

export async function replacePipelineEnvelope(
  db: Db,
  id: string,
  oldWrapped: string,
  envelope: StoredEnvelope,
) {
  const rows = await db
    .update(ciPipelines)
    .set({ secretEnvelope: envelope })
    .where(and(eq(ciPipelines.id, id), sql`${ciPipelines.secretEnvelope}->>'wrapped_key' = ${oldWrapped}`))
    .returning({ id: ciPipelines.id });
  return rows.length === 1;
}

export async function notificationEnvelopes(db: Db, after: string) {
  return db
    .select({
      id: notificationEndpoints.id,
      projectId: notificationEndpoints.projectId,
      envelope: notificationEndpoints.secretEnvelope,
    })
    .from(notificationEndpoints)
    .where(and(isNull(notificationEndpoints.deletedAt), gt(notificationEndpoints.id, after)))
    .orderBy(asc(notificationEndpoints.id))
    .limit(PAGE);
}

export async function replaceNotificationEnvelope(
  db: Db,
  id: string,
  oldWrapped: string,
  envelope: StoredEnvelope,
) {
  const rows = await db
    .update(notificationEndpoints)
    .set({ secretEnvelope: envelope })
    .where(
      and(
        eq(notificationEndpoints.id, id),
        sql`${notificationEndpoints.secretEnvelope}->>'wrapped_key' = ${oldWrapped}`,
      ),
    )
    .returning({ id: notificationEndpoints.id });
  return rows.length === 1;
}

export async function releaseEnvelopes(db: Db, after: string) {
  return db
    .select({ id: releases.id, projectId: releases.projectId, envelope: releases.secretEnvelope })
    .from(releases)
    .where(and(isNotNull(releases.secretEnvelope), gt(releases.id, after)))
    .orderBy(asc(releases.id))
    .limit(PAGE);
}

export async function replaceReleaseEnvelope(
  db: Db,
  id: string,
  oldWrapped: string,
  envelope: StoredEnvelope,
) {
  const rows = await db
    .update(releases)
    .set({ secretEnvelope: envelope })
    .where(and(eq(releases.id, id), sql`${releases.secretEnvelope}->>'wrapped_key' = ${oldWrapped}`))
    .returning({ id: releases.id });
  return rows.length === 1;
}

export async function targetTagKeys(db: Db, after: string) {
  return db
    .select({
      id: deployTargets.id,
      projectId: deployTargets.projectId,
      envelope: deployTargets.tagKeyEnvelope,
    })
    .from(deployTargets)
    .where(and(isNotNull(deployTargets.tagKeyEnvelope), gt(deployTargets.id, after)))
    .orderBy(asc(deployTargets.id))
    .limit(PAGE);
}

export async function replaceTargetTagKey(db: Db, id: string, oldWrapped: string, envelope: StoredEnvelope) {
  const rows = await db
    .update(deployTargets)
    .set({ tagKeyEnvelope: envelope })
    .where(
      and(eq(deployTargets.id, id), sql`${deployTargets.tagKeyEnvelope}->>'wrapped_key' = ${oldWrapped}`),
    )
    .returning({ id: deployTargets.id });
  return rows.length === 1;
}

export async function checkpointKeys(db: Db, after: string) {
  return db
    .select({
      id: auditCheckpoints.id,
      wrappedKey: auditCheckpoints.wrappedKey,
      keyId: auditCheckpoints.keyId,
    })
    .from(auditCheckpoints)
    .where(gt(auditCheckpoints.id, after))
    .orderBy(asc(auditCheckpoints.id))
    .limit(PAGE);
}

export async function replaceCheckpointKey(
  db: Db,
  id: string,
  oldWrapped: string,
  wrappedKey: string,
  keyId: string,
) {
  const rows = await db
    .update(auditCheckpoints)
    .set({ wrappedKey, keyId })
    .where(and(eq(auditCheckpoints.id, id), eq(auditCheckpoints.wrappedKey, oldWrapped)))
    .returning({ id: auditCheckpoints.id });
  return rows.length === 1;
}

export async function macKeyPage(db: Db, after: string) {
  return db
    .select({ id: auditMacKeys.id, wrappedKey: auditMacKeys.wrappedKey, keyId: auditMacKeys.keyId })
    .from(auditMacKeys)
    .where(gt(auditMacKeys.id, after))
    .orderBy(asc(auditMacKeys.id))
    .limit(PAGE);
}

export async function replaceAuditMacKey(
  db: Db,
  id: string,
  oldWrapped: string,
  wrappedKey: string,
  keyId: string,
) {
  const rows = await db
    .update(auditMacKeys)
    .set({ wrappedKey, keyId })
    .where(and(eq(auditMacKeys.id, id), eq(auditMacKeys.wrappedKey, oldWrapped)))
    .returning({ id: auditMacKeys.id });
  return rows.length === 1;
}

/** Every key id some stored data key is wrapped with, with how many rows use it. */
export async function keyIdsInUse(db: Db): Promise<Record<string, number>> {
  const rows = await db.execute<{ key_id: string; n: string }>(sql`
    select key_id, count(*) as n from (
      select envelope->>'key_id' as key_id from credentials where deleted_at is null
      union all
      select secret_envelope->>'key_id' from releases where secret_envelope is not null
      union all
      select tag_key_envelope->>'key_id' from deploy_targets where tag_key_envelope is not null
      union all
      select secret_envelope->>'key_id' from ci_pipelines where deleted_at is null
      union all
      select secret_envelope->>'key_id' from notification_endpoints where deleted_at is null
      union all
      select key_id from audit_checkpoints
      union all
      select key_id from audit_mac_keys
    ) k group by key_id`);
  const list = (Array.isArray(rows) ? rows : (rows as { rows: { key_id: string; n: string }[] }).rows) as {
    key_id: string;
    n: string;
  }[];
  return Object.fromEntries(list.map((r) => [r.key_id, Number(r.n)]));
}
