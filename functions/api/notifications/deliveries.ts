import type { Delivery, DeliveryAttempt, NotificationPayload } from '../../../shared/contracts/notifications';
import { checkOutboundUrl, type OutboundRule } from '../../../shared/net/outbound-guard';
import { pinnedPost } from '../../../shared/net/pinned-post';
import { matchesEvents } from '../../../shared/notifications/events';
import type { Clock } from '../../platform/clock';
import type { Db } from '../../platform/db/types';
import { newId } from '../../platform/ids';
import type { KeyProvider } from '../../platform/keys/types';
import { toAuditEvent } from '../audit/view';
import { recordEvent } from '../audit/writer';
import type { ServiceCtx } from '../context';
import { ApiError, notFound } from '../errors';
import { type Lookup, openSigningSecret } from './endpoints';
import {
  claimDue,
  type DeliveryRow,
  type EndpointRow,
  endpointsByIds,
  endpointsOfProjects,
  eventsAfter,
  insertDeliveries,
  lockCursor,
  lockDelivery,
  saveCursor,
  updateDelivery,
} from './repo';
import { SECRET_PREFIX, signatureHeaders } from './sign';

/**
 * Minutes to wait after each failed try: 6 tries at about 0, 1, 6, 16, 31 and 61 minutes, so a
 * receiver down for an hour still gets the event; after the sixth failure the delivery is
 * `failed` and waits for a person (SPEC §7.2).
 */
export const RETRY_DELAYS_MIN = [1, 5, 10, 15, 30] as const;
export const MAX_TRIES = RETRY_DELAYS_MIN.length + 1;
/** A receiver must answer quickly: a slow one must not hold up the sweep. */
export const TRY_TIMEOUT_MS = 5_000;
/** Tries per sweep, sent side by side; the rest wait for the next sweep. */
export const SEND_BATCH = 25;
/** Audit events read per sweep when turning them into deliveries. */
const EVENT_BATCH = 500;
/** A claimed try not settled by then (the sweep died) is taken again. */
const LEASE_MS = 2 * 60_000;

export const payloadOf = (d: DeliveryRow): NotificationPayload => ({
  id: d.id,
  type: d.type,
  occurred_at: d.occurredAt.toISOString(),
  project_id: d.projectId,
  data: d.data,
});

export const toDelivery = (d: DeliveryRow): Delivery => ({
  ...payloadOf(d),
  endpoint_id: d.endpointId,
  status: d.status,
  attempts: d.attempts,
  next_attempt_at: d.status === 'pending' && d.nextAttemptAt ? d.nextAttemptAt.toISOString() : null,
  created_at: d.createdAt.toISOString(),
  updated_at: d.updatedAt.toISOString(),
});

/**
 * Turns the audit events after the cursor into deliveries, in the same transaction that moves the
 * cursor. Audit writers append under one lock held to their commit, so seqs become visible in
 * order: nothing can appear behind the cursor later, and no event is read twice. The unique
 * (endpoint, event) pair makes a replay harmless all the same.
 */
export async function collectDeliveries(db: Db, clock: Clock): Promise<number> {
  return db.transaction(async (tx) => {
    const cursor = await lockCursor(tx);
    const read = await eventsAfter(tx, cursor, EVENT_BATCH);
    // Events of no project (logins, users, keys) are passed: no endpoint may receive them.
    const events = read.filter((e): e is typeof e & { projectId: string } => e.projectId !== null);
    const projects = [...new Set(events.map((e) => e.projectId))];
    const endpoints = await endpointsOfProjects(tx, projects);
    const now = clock.now();
    const rows: DeliveryRow[] = [];
    for (const e of events) {
      for (const ep of endpoints) {
        if (ep.projectId !== e.projectId || e.seq <= ep.fromSeq || !matchesEvents(e.action, ep.events))
          continue;
        rows.push({
          id: newId('ntf'),
          endpointId: ep.id,
          projectId: e.projectId,
          eventId: e.id,
          type: e.action,
          occurredAt: e.occurredAt,
          // What the audit API shows: detail never holds a secret value (only names, masked diffs).
          data: toAuditEvent(e),
          status: 'pending',
          attempts: [],
          tries: 0,
          nextAttemptAt: now,
          createdAt: now,
          updatedAt: now,
        });
      }
    }
    const made = await insertDeliveries(tx, rows);
    const head = read.at(-1)?.seq;
    if (head !== undefined) await saveCursor(tx, head);
    return made;
  });
}

export type SendDeps = {
  db: Db;
  clock: Clock;
  keys: KeyProvider;
  outbound: OutboundRule;
  lookup?: Lookup;
};

/**
 * One try of every due delivery (a bounded batch). Each try re-checks the URL against the address
 * rule and dials the address it approved; the outcome is recorded on the delivery with the next
 * time, or `succeeded` / `failed`.
 */
export async function sendDue(
  deps: SendDeps,
): Promise<{ succeeded: number; retried: number; failed: number }> {
  const now = deps.clock.now();
  const due = await claimDue(deps.db, now, new Date(now.getTime() + LEASE_MS), SEND_BATCH);
  const tally = { succeeded: 0, retried: 0, failed: 0 };
  if (!due.length) return tally;
  const endpoints = new Map(
    (await endpointsByIds(deps.db, [...new Set(due.map((d) => d.endpointId))])).map((e) => [e.id, e]),
  );
  await Promise.all(
    due.map(async (d) => {
      const { final, ...outcome } = await tryOnce(d, endpoints.get(d.endpointId), deps).catch(
        // A key that cannot be opened now (KMS unreachable) costs this try, not the whole sweep.
        () => failure('not sent: the signing secret could not be opened'),
      );
      const at = deps.clock.now();
      const attempt: DeliveryAttempt = { at: at.toISOString(), ...outcome };
      const tries = d.tries + 1;
      const ok = outcome.http_status !== null && outcome.http_status >= 200 && outcome.http_status < 300;
      const status = ok ? 'succeeded' : tries >= MAX_TRIES || final ? 'failed' : 'pending';
      const delay = RETRY_DELAYS_MIN[tries - 1];
      await updateDelivery(
        deps.db,
        d.id,
        {
          status,
          tries,
          attempts: [...d.attempts, attempt],
          nextAttemptAt:
            status === 'pending' && delay !== undefined ? new Date(at.getTime() + delay * 60_000) : null,
        },
        at,
      );
      tally[status === 'succeeded' ? 'succeeded' : status === 'failed' ? 'failed' : 'retried'] += 1;
    }),
  );
  return tally;
}

/** `final`: no later try can do better (the endpoint is gone). */
type TryOutcome = Omit<DeliveryAttempt, 'at'> & { final?: boolean };
const failure = (error: string, final = false): TryOutcome => ({
  http_status: null,
  error,
  response_excerpt: null,
  final,
});

async function tryOnce(
  d: DeliveryRow,
  endpoint: EndpointRow | undefined,
  deps: SendDeps,
): Promise<TryOutcome> {
  if (!endpoint || endpoint.deletedAt) return failure('the endpoint was deleted', true);
  const check = await checkOutboundUrl(endpoint.url, deps.outbound, deps.lookup);
  if (!check.ok) return failure(`refused: the URL ${check.reason}`);
  const secret = await openSigningSecret(deps.keys, endpoint);
  const body = JSON.stringify(payloadOf(d));
  const result = await pinnedPost({
    url: check.url,
    address: check.address,
    headers: {
      'content-type': 'application/json',
      'user-agent': 'k8s-manage-notifications',
      ...signatureHeaders(secret, d.id, deps.clock.now(), body),
    },
    body,
    timeoutMs: TRY_TIMEOUT_MS,
  });
  if (!result.ok) return failure(result.error);
  const ok = result.status >= 200 && result.status < 300;
  return {
    http_status: result.status,
    error: ok
      ? null
      : result.status >= 300 && result.status < 400
        ? `answered ${result.status}; redirects are not followed`
        : `answered ${result.status}`,
    response_excerpt: maskExcerpt(result.excerpt, secret),
  };
}

/** A receiver echoing what it got must not put the secret into the record. */
function maskExcerpt(text: string, secret: string): string | null {
  const key = secret.slice(SECRET_PREFIX.length);
  const printable = text
    .replace(/[^\x20-\x7e]+/g, ' ')
    .trim()
    .slice(0, 200);
  if (!printable) return null;
  return printable.replaceAll(secret, '***').replaceAll(key, '***');
}

/**
 * Back to pending with a full set of tries, now; the tries made before stay listed. A pending one
 * is refused: it may be in flight, and its tries are still running anyway.
 */
export async function redeliver(id: string, ctx: ServiceCtx): Promise<Delivery> {
  return ctx.db.transaction(async (tx) => {
    const current = await lockDelivery(tx, id);
    if (!current) throw notFound('notification delivery');
    if (current.status === 'pending')
      throw new ApiError('CONFLICT', 'the delivery is still pending: its tries are not over');
    const now = ctx.clock.now();
    await updateDelivery(tx, id, { status: 'pending', tries: 0, nextAttemptAt: now }, now);
    await recordEvent(tx, ctx.clock, {
      action: 'notification_delivery.redelivered',
      resourceType: 'notification_delivery',
      resourceId: id,
      projectId: current.projectId,
      actor: ctx.actor,
      detail: { endpoint_id: current.endpointId, previous_status: current.status, type: current.type },
    });
    return toDelivery({ ...current, status: 'pending', tries: 0, nextAttemptAt: now, updatedAt: now });
  });
}

/**
 * The sweep's part: first turn new audit events into deliveries, then make the due tries. More
 * events than one batch are taken by the next sweep.
 */
export async function deliverNotifications(deps: SendDeps) {
  const created = await collectDeliveries(deps.db, deps.clock);
  return { created, ...(await sendDue(deps)) };
}
