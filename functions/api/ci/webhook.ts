import { and, eq } from 'drizzle-orm';
import { readReport, refAllowed } from '../../../shared/ci/reports';
import type { WebhookAccepted } from '../../../shared/contracts/ci';
import type { Clock } from '../../platform/clock';
import { ciDeliveries } from '../../platform/db/schema';
import type { Db } from '../../platform/db/types';
import type { KeyProvider } from '../../platform/keys/types';
import { recordEvent } from '../audit/writer';
import { ApiError, notFound } from '../errors';
import { hostileStrings } from '../middleware/request-guard';
import { recordReport, WEBHOOK_ACTOR } from './builds';
import { openWebhookSecret } from './pipelines';
import {
  countRefusal,
  findPipeline,
  lockClosedRefusals,
  markRefusalsAudited,
  setDeliveryBuild,
  takeDelivery,
} from './repo';
import { deliveryBody, verifyDelivery } from './verify';

export type WebhookCtx = { db: Db; clock: Clock; keys: KeyProvider; refusalsPerMinute: number };

export type IncomingDelivery = {
  pipelineId: string;
  header: (name: string) => string | undefined;
  raw: Buffer;
};

const MAX_DELIVERY_ID = 200;
const minuteOf = (d: Date) => new Date(Math.floor(d.getTime() / 60_000) * 60_000);

/**
 * One delivery from a provider (SPEC §7.2): verified its provider's way on the raw body, then
 * taken once per delivery id, and what it says recorded in its build. A refusal is counted for
 * the pipeline's minute and answered 401; the audit stream gets one event per minute.
 */
export async function receiveDelivery(d: IncomingDelivery, ctx: WebhookCtx): Promise<WebhookAccepted> {
  const pipeline = await findPipeline(ctx.db, d.pipelineId);
  if (!pipeline) throw notFound('pipeline');
  const now = ctx.clock.now();
  const verified = verifyDelivery(
    { provider: pipeline.provider, header: d.header, raw: d.raw, now },
    await openWebhookSecret(ctx.keys, pipeline),
  );
  if (!verified.ok) {
    const minute = minuteOf(now);
    const count = await countRefusal(ctx.db, pipeline.id, minute, verified.reason);
    // Only refusals are throttled: a flood of forgeries never stops the provider's real deliveries.
    if (count > ctx.refusalsPerMinute) {
      const retryAfter = Math.max(1, Math.ceil((minute.getTime() + 60_000 - now.getTime()) / 1000));
      throw new ApiError('THROTTLED', 'too many refused deliveries for this pipeline; try again later', [], {
        'Retry-After': String(retryAfter),
      });
    }
    throw new ApiError('UNAUTHENTICATED', 'the delivery is not signed by this pipeline’s secret');
  }

  // Providers send UUIDs or short ids; anything longer is not one, and is not stored.
  if (verified.deliveryId.length > MAX_DELIVERY_ID)
    throw new ApiError('VALIDATION_FAILED', 'request failed validation', [
      { path: 'delivery_id', message: `must be at most ${MAX_DELIVERY_ID} characters` },
    ]);

  let body: unknown;
  try {
    body = deliveryBody(d.raw, d.header('content-type'));
  } catch {
    throw new ApiError('BAD_REQUEST', 'the delivery does not carry JSON');
  }
  const read = readReport(pipeline.provider, verified.event, body);
  if (!read.ok && 'invalid' in read)
    throw new ApiError(
      'VALIDATION_FAILED',
      'the delivery is not a build report this pipeline understands',
      read.invalid,
    );
  // The raw body is exempt from the NUL rule; the fields taken from it are not (SPEC §7.2, §7.5).
  const hostile = read.ok ? hostileStrings(read.report) : [];
  if (hostile.length) throw new ApiError('VALIDATION_FAILED', 'request failed validation', hostile);

  return ctx.db.transaction(async (tx) => {
    const delivery = { pipelineId: pipeline.id, deliveryId: verified.deliveryId, receivedAt: now };
    if (!(await takeDelivery(tx, { ...delivery, buildId: null }))) {
      const [first] = await tx
        .select({ buildId: ciDeliveries.buildId })
        .from(ciDeliveries)
        .where(
          and(eq(ciDeliveries.pipelineId, pipeline.id), eq(ciDeliveries.deliveryId, verified.deliveryId)),
        );
      return { duplicate: true, build_id: first?.buildId ?? null, ignored: null };
    }
    if (!read.ok) return { duplicate: false, build_id: null, ignored: read.ignored };
    if (!refAllowed(pipeline, read.report.ref))
      return {
        duplicate: false,
        build_id: null,
        ignored: `${read.report.ref} is outside the pipeline's filters`,
      };
    const buildId = await recordReport(tx, ctx.clock, pipeline, read.report, verified.deliveryId);
    await setDeliveryBuild(tx, pipeline.id, verified.deliveryId, buildId);
    return { duplicate: false, build_id: buildId, ignored: null };
  });
}

const AUDIT_BATCH = 200;

/**
 * One audit event per pipeline and minute of refusals, written once the minute is over so it
 * carries the minute's count; never the body, only why each delivery was refused.
 */
export async function auditRefusals(db: Db, clock: Clock): Promise<number> {
  return db.transaction(async (tx) => {
    const closed = await lockClosedRefusals(tx, minuteOf(clock.now()), AUDIT_BATCH);
    for (const r of closed) {
      const pipeline = await findPipeline(tx, r.pipelineId);
      await recordEvent(tx, clock, {
        action: 'pipeline.webhook_refused',
        resourceType: 'pipeline',
        resourceId: r.pipelineId,
        projectId: pipeline?.projectId ?? null,
        actor: WEBHOOK_ACTOR,
        status: 'refused',
        detail: { minute: r.minute.toISOString(), count: r.count, reasons: r.reasons },
      });
      await markRefusalsAudited(tx, r.pipelineId, r.minute, clock.now());
    }
    return closed.length;
  });
}
