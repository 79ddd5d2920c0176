import { dueSlot, parseCron } from '../../../shared/ci/cron';
import type { TriggerAttempt } from '../../../shared/contracts/ci';
import { checkOutboundUrl, type OutboundRule } from '../../../shared/net/outbound-guard';
import { pinnedPost } from '../../../shared/net/pinned-post';
import type { Clock } from '../../platform/clock';
import type { Db } from '../../platform/db/types';
import { newId } from '../../platform/ids';
import type { KeyProvider } from '../../platform/keys/types';
import { type AuditInput, recordEvent } from '../audit/writer';
import { findCredential } from '../credentials/repo';
import { openPayload } from '../credentials/service';
import { invalid } from '../errors';
import { policyOf } from '../policy/service';
import { WEBHOOK_ACTOR } from './builds';
import { literalBranch, providerCall } from './provider-api';
import {
  failPendingAttemptsBefore,
  finishTriggerAttempt,
  insertTriggerAttempt,
  lockSchedulePipelines,
  type PipelineRow,
  type TriggerAttemptRow,
  updatePipeline,
} from './repo';

/**
 * Manual and scheduled triggers (SPEC §7.2). The call to the provider's API is made with a short
 * timeout, outside any transaction: the attempt is written `pending` first and finished with what
 * the provider answered, so a trigger is visible even if the process dies mid-call. Where the
 * pipeline names no API URL and token, only the intent is recorded.
 */
export type TriggerCtx = {
  db: Db;
  clock: Clock;
  keys: KeyProvider;
  outbound: OutboundRule;
  actor: AuditInput['actor'];
};

/** Short enough for an API request to wait on; a provider's dispatch answers in well under a second. */
export const TRIGGER_TIMEOUT_MS = 5_000;

export const toTriggerAttempt = (a: TriggerAttemptRow): TriggerAttempt => ({
  id: a.id,
  pipeline_id: a.pipelineId,
  source: a.source,
  slot: a.slot?.toISOString() ?? null,
  ref: a.ref,
  status: a.status,
  http_status: a.httpStatus,
  error: a.error,
  requested_by: a.requestedBy,
  created_at: a.createdAt.toISOString(),
  finished_at: a.finishedAt?.toISOString() ?? null,
});

const calls = (p: PipelineRow) => p.providerApiUrl !== null && p.providerCredentialId !== null;

type Outcome = Pick<TriggerAttemptRow, 'status' | 'httpStatus' | 'error'>;

/** The provider's token, only if it is still a ci_provider credential for exactly this origin. */
async function providerToken(ctx: TriggerCtx, p: PipelineRow): Promise<string | { error: string }> {
  const c = await findCredential(ctx.db, p.providerCredentialId ?? '');
  if (!c || c.projectId !== p.projectId) return { error: 'the provider credential is gone' };
  if (c.kind !== 'ci_provider' || c.metadata.api_origin !== new URL(p.providerApiUrl ?? '').origin)
    return { error: "provider_api_url no longer has the provider credential's api_origin" };
  const token = (await openPayload(ctx.keys, c)).token;
  return typeof token === 'string' ? token : { error: 'the provider credential has no token' };
}

async function callProvider(ctx: TriggerCtx, p: PipelineRow, ref: string | null): Promise<Outcome> {
  const failed = (error: string, httpStatus: number | null = null): Outcome => ({
    status: 'failed',
    httpStatus,
    error,
  });
  const token = await providerToken(ctx, p);
  if (typeof token !== 'string') return failed(token.error);
  const call = providerCall(
    {
      provider: p.provider,
      repository: p.repository,
      providerApiUrl: p.providerApiUrl ?? '',
      providerJob: p.providerJob,
    },
    token,
    ref,
  );
  if ('error' in call) return failed(call.error);
  // Checked again before every call: what the name resolves to may have changed since it was saved.
  const checked = await checkOutboundUrl(call.url.href, ctx.outbound);
  if (!checked.ok) return failed(`provider_api_url ${checked.reason}`);
  const answer = await pinnedPost({
    url: call.url,
    address: checked.address,
    headers: call.headers,
    body: call.body,
    timeoutMs: TRIGGER_TIMEOUT_MS,
  });
  // The outcome's error names the cause (a code or the deadline), never the request's headers.
  if (!answer.ok) return failed(`the provider could not be reached: ${answer.error}`.slice(0, 500));
  return answer.status >= 200 && answer.status < 300
    ? { status: 'succeeded', httpStatus: answer.status, error: null }
    : failed(`the provider answered ${answer.status}`, answer.status);
}

/**
 * One trigger of a pipeline. A manual trigger that would call the provider but has no branch to
 * run is refused (422 `ref`) before anything is written; a scheduled one records the failure.
 */
export async function triggerPipeline(
  p: PipelineRow,
  input: { source: 'manual' | 'schedule'; ref?: string; slot?: Date },
  ctx: TriggerCtx,
): Promise<TriggerAttempt> {
  const ref = input.ref ?? literalBranch(p.branchFilter);
  const needsRef = p.provider === 'github_actions' || p.provider === 'gitlab_ci';
  if (calls(p) && needsRef && ref === null && input.source === 'manual')
    throw invalid('ref', 'the branch filter names no single branch: give the branch to run');
  const row: TriggerAttemptRow = {
    id: newId('trg'),
    projectId: p.projectId,
    pipelineId: p.id,
    source: input.source,
    slot: input.slot ?? null,
    ref,
    status: calls(p) ? 'pending' : 'recorded',
    httpStatus: null,
    error: null,
    requestedBy: ctx.actor.userId,
    createdAt: ctx.clock.now(),
    finishedAt: null,
  };
  await insertTriggerAttempt(ctx.db, row);
  const outcome: Outcome =
    row.status === 'pending'
      ? await callProvider(ctx, p, ref)
      : { status: 'recorded', httpStatus: null, error: null };
  const finished = { ...row, ...outcome, finishedAt: ctx.clock.now() };
  await ctx.db.transaction(async (tx) => {
    await finishTriggerAttempt(tx, row.id, finished);
    await recordEvent(tx, ctx.clock, {
      action: 'pipeline.triggered',
      resourceType: 'pipeline',
      resourceId: p.id,
      projectId: p.projectId,
      actor: ctx.actor,
      status: outcome.status === 'failed' ? 'failed' : 'succeeded',
      detail: {
        attempt_id: row.id,
        source: row.source,
        slot: row.slot?.toISOString() ?? null,
        ref,
        outcome: outcome.status,
        http_status: outcome.httpStatus,
        error: outcome.error,
        // Where it went, never with what: the token stays out of the audit stream.
        api_origin:
          p.providerApiUrl && outcome.status !== 'recorded' ? new URL(p.providerApiUrl).origin : null,
      },
    });
  });
  return toTriggerAttempt(finished);
}

const SCHEDULE_BATCH = 200;
const PARALLEL_CALLS = 8;
/** Bounds one sweep's walk: 10,000 schedule pipelines; the next sweep, a minute on, goes on. */
const SCHEDULE_PAGES = 50;

/**
 * The sweep's part: each schedule pipeline whose newest due slot is after the last one fired gets
 * one trigger. The slot is stored before the call, in a transaction that holds the pipeline's row,
 * so two sweeps, or a sweep retried after a crash, never fire the same slot twice. A project whose
 * `ci_triggers_enabled` is off fires no slot (SPEC §7.2: the switch stops all automatic actions);
 * a person's "Run now" is not automatic and still calls the provider.
 */
export async function fireDueSchedules(ctx: Omit<TriggerCtx, 'actor'>): Promise<number> {
  const now = ctx.clock.now();
  let fired = 0;
  let after = '';
  for (let page = 0; page < SCHEDULE_PAGES; page++) {
    const { due, last } = await takeDueSlots(ctx.db, after, now);
    // A few calls at a time: each may take up to TRIGGER_TIMEOUT_MS, and the sweep has a deadline.
    for (let i = 0; i < due.length; i += PARALLEL_CALLS)
      await Promise.all(
        due
          .slice(i, i + PARALLEL_CALLS)
          .map(({ pipeline, slot }) =>
            triggerPipeline(pipeline, { source: 'schedule', slot }, { ...ctx, actor: WEBHOOK_ACTOR }),
          ),
      );
    fired += due.length;
    if (last === null) break;
    after = last;
  }
  return fired;
}

/** One page of schedule pipelines: the due slot of each stored, in the transaction holding them. */
async function takeDueSlots(db: Db, after: string, now: Date) {
  return db.transaction(async (tx) => {
    const rows = await lockSchedulePipelines(tx, after, SCHEDULE_BATCH);
    const due: { pipeline: PipelineRow; slot: Date }[] = [];
    const switchOf = new Map<string, boolean>();
    for (const p of rows) {
      const parsed = p.schedule ? parseCron(p.schedule) : undefined;
      if (!parsed?.ok) continue;
      // A new schedule starts from when it was saved: slots before that are not "missed".
      const slot = dueSlot(parsed.cron, p.lastFiredSlot ?? p.updatedAt, now);
      if (!slot) continue;
      let on = switchOf.get(p.projectId);
      if (on === undefined) {
        on = (await policyOf(tx, p.projectId)).ci_triggers_enabled;
        switchOf.set(p.projectId, on);
      }
      // The slot is spent even while the project's switch is off, so turning it back on does not
      // fire a slot that fell while it was off.
      await updatePipeline(tx, p.id, { lastFiredSlot: slot }, p.updatedAt);
      if (on) due.push({ pipeline: { ...p, lastFiredSlot: slot }, slot });
    }
    return { due, last: rows.length === SCHEDULE_BATCH ? (rows.at(-1)?.id ?? null) : null };
  });
}

/**
 * An attempt is finished within TRIGGER_TIMEOUT_MS by the process that made it; one still
 * `pending` a minute later lost that process, and is marked failed so it does not look in flight.
 */
export async function failAbandonedAttempts(db: Db, clock: Clock): Promise<number> {
  const now = clock.now();
  return failPendingAttemptsBefore(db, new Date(now.getTime() - 60_000), now);
}
