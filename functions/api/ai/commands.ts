import type { Command } from '../../../shared/contracts/ai';
import type { AuditAction } from '../../../shared/events';
import { maskValues } from '../../../shared/releases/mask';
import type { Db } from '../../platform/db/types';
import { newId } from '../../platform/ids';
import { recordEvent } from '../audit/writer';
import { ApiError, invalid } from '../errors';
import { MASK } from '../releases/applied-values';
import { applyRelease } from '../releases/apply';
import { findByPreviewRef } from '../releases/repo';
import { toRelease } from '../releases/view';
import { type BridgeCtx, execute, type Outcome } from './executor';
import type { ParsedCommand } from './interpret';
import { ProviderUnavailable } from './provider/errors';
import { type CommandRow, findCommand, insertCommand, moveCommand } from './repo';
import { type AiSelection, selectInterpreter } from './select';

export type CommandCtx = BridgeCtx & { config: AiSelection };

/** The text as kept: each secret value the text gave is masked (it may be asked again, never shown). */
function maskText(text: string, secrets: string[] = []) {
  let out = text;
  for (const s of secrets) if (s.length) out = out.split(s).join(MASK);
  return out;
}

async function audit(
  tx: Db,
  ctx: CommandCtx,
  action: AuditAction,
  row: CommandRow,
  detail: Record<string, unknown>,
) {
  await recordEvent(tx, ctx.clock, {
    action,
    resourceType: 'ai_command',
    resourceId: row.id,
    projectId: row.projectId,
    actor: ctx.actor,
    status: row.status,
    detail: { intent: row.intent, interpreter: row.interpreter, ...detail },
  });
}

const outcomeFields = (o: Outcome, now: Date) => ({
  status: o.status,
  plan: o.plan,
  questions: o.questions ?? null,
  reason: o.reason ?? null,
  result: o.result ?? null,
  previewRef: o.previewRef ?? null,
  projectId: o.projectId,
  updatedAt: now,
});

export async function createCommand(input: { text: string; project_id?: string }, ctx: CommandCtx) {
  const interpreter = await selectInterpreter(ctx.config);
  const sent: unknown[] = [];
  let parsed: ParsedCommand = { intent: 'unknown' };
  let unavailable: string | undefined;
  try {
    parsed = await interpreter.interpret(input.text, {
      lookups: ctx.lookups,
      project_id: input.project_id,
      recordProviderRequest: async (r) => {
        sent.push(r);
      },
    });
  } catch (e) {
    // A model that cannot be asked fails this command, named, rather than the request.
    if (!(e instanceof ProviderUnavailable)) throw e;
    unavailable = e.message;
  }
  const outcome: Outcome = unavailable
    ? { status: 'failed', reason: unavailable, plan: [], projectId: input.project_id ?? null }
    : await execute(parsed, {}, ctx, input.project_id);
  // A secret value the sentence gave went out before the bridge knew it was one: not kept as sent.
  const requests = outcome.secretValues?.length
    ? (maskValues(sent, outcome.secretValues) as unknown[])
    : sent;
  const now = ctx.clock.now();
  const row: CommandRow = {
    id: newId('aic'),
    createdBy: ctx.actor.userId,
    text: maskText(input.text, outcome.secretValues),
    intent: parsed.intent,
    interpreter: interpreter.name,
    parsed: maskParsed(parsed, outcome.secretValues),
    answers: {},
    providerRequests: requests,
    releaseId: null,
    createdAt: now,
    ...outcomeFields(outcome, now),
  };
  await ctx.db.transaction(async (tx) => {
    await insertCommand(tx, row);
    await audit(tx, ctx, 'ai.command_created', row, {
      preview_ref: row.previewRef,
      reason: row.reason,
      provider_requests: requests.length,
    });
  });
  return toCommand(ctx, row);
}

/** The parsed command is kept to re-run after answers without asking the interpreter again. */
function maskParsed(parsed: ParsedCommand, secrets: string[] = []): Record<string, unknown> {
  if (parsed.intent !== 'deploy' || !secrets.length) return parsed;
  const variables = Object.fromEntries(
    Object.entries(parsed.variables).filter(([, v]) => !secrets.includes(v)),
  );
  return { ...parsed, variables };
}

/** Commands are their creator's own: anyone else is told there is none. */
async function ownCommand(id: string, ctx: CommandCtx) {
  const row = await findCommand(ctx.db, id);
  if (!row || row.createdBy !== ctx.actor.userId) throw new ApiError('NOT_FOUND', 'command not found');
  return row;
}

export async function answerCommand(id: string, answers: Record<string, string>, ctx: CommandCtx) {
  const row = await ownCommand(id, ctx);
  if (row.status !== 'needs_input')
    throw new ApiError('CONFLICT', `the command is ${row.status}, not waiting for answers`);
  const asked = new Set((row.questions ?? []).map((q) => q.field));
  for (const field of Object.keys(answers))
    if (!asked.has(field)) throw invalid(`answers.${field}`, 'the command did not ask this');
  const merged = { ...row.answers, ...answers };
  const outcome = await execute(row.parsed as ParsedCommand, merged, ctx, row.projectId ?? undefined);
  const now = ctx.clock.now();
  const next: CommandRow = { ...row, answers: merged, ...outcomeFields(outcome, now) };
  await ctx.db.transaction(async (tx) => {
    const { id: _, createdBy: __, createdAt: ___, ...set } = next;
    if (!(await moveCommand(tx, row.id, 'needs_input', set)))
      throw new ApiError('CONFLICT', 'the command was answered already');
    await audit(tx, ctx, 'ai.command_answered', next, {
      fields: Object.keys(answers),
      preview_ref: next.previewRef,
    });
  });
  return toCommand(ctx, next);
}

/**
 * Applies the command's preview through the one apply path, as its creator: the apply permissions
 * are checked there, a ticket goes to the one inbox, and every event says `source: "ai"`.
 */
export async function confirmCommand(id: string, ctx: CommandCtx) {
  const row = await findCommand(ctx.db, id);
  if (!row) throw new ApiError('NOT_FOUND', 'command not found');
  if (row.createdBy !== ctx.actor.userId)
    throw new ApiError('FORBIDDEN', 'only the command’s creator may confirm it');
  if (row.status !== 'previewed' || !row.previewRef)
    throw new ApiError('CONFLICT', `the command is ${row.status}: only a previewed command is confirmed`);
  const release = await applyRelease({ preview_ref: row.previewRef }, ctx);
  const now = ctx.clock.now();
  const next: CommandRow = { ...row, status: 'confirmed', releaseId: release.id, updatedAt: now };
  await ctx.db.transaction(async (tx) => {
    if (
      !(await moveCommand(tx, row.id, 'previewed', {
        status: 'confirmed',
        releaseId: release.id,
        updatedAt: now,
      }))
    )
      throw new ApiError('CONFLICT', 'the command was confirmed already');
    await audit(tx, ctx, 'ai.command_confirmed', next, {
      preview_ref: row.previewRef,
      release_id: release.id,
      approval_ticket: release.approval_ticket,
    });
  });
  return toCommand(ctx, next);
}

export async function getCommand(id: string, ctx: CommandCtx) {
  return toCommand(ctx, await ownCommand(id, ctx));
}

/** The preview is read live (its state moves on), and shown only while the caller may read it. */
export async function toCommand(ctx: Pick<BridgeCtx, 'db' | 'grants'>, row: CommandRow): Promise<Command> {
  const release = row.previewRef ? await findByPreviewRef(ctx.db, row.previewRef) : undefined;
  const readable =
    release &&
    (await ctx.grants.can('deploy:release:read', release.projectId)) &&
    (await ctx.grants.can(`deploy:${release.runtimeType}:read`, release.projectId));
  return {
    id: row.id,
    text: row.text,
    project_id: row.projectId,
    intent: row.intent,
    status: row.status,
    plan: row.plan,
    ...(release && readable ? { preview: toRelease(release) } : {}),
    ...(row.questions ? { questions: row.questions } : {}),
    ...(row.reason ? { reason: row.reason } : {}),
    ...(row.result ? { result: row.result } : {}),
    release_id: row.releaseId,
    interpreter: row.interpreter,
    provider_requests: row.providerRequests,
    created_by: row.createdBy,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}
