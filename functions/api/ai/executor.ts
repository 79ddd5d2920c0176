import type { Question } from '../../../shared/contracts/ai';
import { PreviewReleaseRequest, scanTemplate } from '../../../shared/releases';
import { ApiError } from '../errors';
import { requirePermissions } from '../middleware/authorize';
import { appliedOfService } from '../releases/applied-values';
import { applyPermissions, previewRelease, previewRollback } from '../releases/preview';
import { findRelease } from '../releases/repo';
import { findService } from '../services/repo';
import { templateFor } from '../services/variables';
import { getTargetStatus } from '../status/service';
import { findTarget } from '../targets/repo';
import type { ParsedCommand } from './interpret';
import {
  type BridgeCtx,
  Plan,
  type PlanStep,
  pick,
  projectNamesOf,
  requireSomewhere,
  resolveProject,
  resolveTarget,
  Stop,
} from './resolve';

export type { BridgeCtx };

type Status = 'needs_input' | 'refused' | 'answered' | 'previewed' | 'failed';

export type Outcome = {
  status: Status;
  plan: PlanStep[];
  projectId: string | null;
  questions?: Question[];
  reason?: string;
  result?: Record<string, unknown>;
  previewRef?: string;
  /** Values given in the text that are secret for the service: masked wherever the text is kept. */
  secretValues?: string[];
};

const UNDERSTOOD =
  'not understood. The bridge understands: "deploy <service> <version> to <environment>", "roll back <service> in <environment>", "status of <service> in <environment>", "what is running in <environment>?", "pending approvals for <project>", "why did rel_… fail?"';

/** A preview's own refusals (422, 409) are the command's failure, with the reason; a 403 is not. */
async function previewing<T>(make: () => Promise<T>, projectId: string): Promise<T> {
  try {
    return await make();
  } catch (e) {
    if (!(e instanceof ApiError) || e.code === 'FORBIDDEN') throw e;
    const fields = e.fields.map((f) => `${f.path}: ${f.message}`).join('; ');
    throw new Stop({
      status: 'failed',
      reason: `${e.code}: ${e.message}${fields ? ` (${fields})` : ''}`,
      projectId,
    });
  }
}

/**
 * Variables of the text that are secret for any service of that name the caller may read: a
 * secret value is set where it is sealed (the Deploy page), never typed into a command's text.
 */
async function secretsGiven(cmd: Extract<ParsedCommand, { intent: 'deploy' }>, ctx: BridgeCtx) {
  const secret = new Set<string>();
  for (const s of await ctx.lookups.findServices({ name: cmd.service }))
    for (const n of (await findService(ctx.db, s.id))?.secretVariables ?? []) secret.add(n);
  const names = Object.keys(cmd.variables).filter((n) => secret.has(n));
  return { names, values: names.map((n) => cmd.variables[n]!) };
}

async function deploy(
  cmd: Extract<ParsedCommand, { intent: 'deploy' }>,
  answers: Record<string, string>,
  ctx: BridgeCtx,
  plan: Plan,
  scope: string | undefined,
): Promise<Omit<Outcome, 'plan'>> {
  await requireSomewhere(ctx, 'deploy:release:apply');
  const given = await secretsGiven(cmd, ctx);
  if (given.names.length)
    return {
      status: 'failed',
      reason: `${given.names.join(', ')} is secret: a command does not take secret values (they would be kept with its text); set it from the Deploy page, then leave it out here to keep it`,
      projectId: scope ?? null,
      secretValues: given.values,
    };
  const { service, env, target, projectId } = await resolveTarget(cmd, answers, ctx, plan, scope);
  await requirePermissions(ctx.grants, applyPermissions(target.runtime, false), projectId);
  const serviceRow = await findService(ctx.db, service.id);
  const targetRow = await findTarget(ctx.db, target.id);
  const template = serviceRow && targetRow ? templateFor(serviceRow, targetRow.runtimeType) : null;
  if (!serviceRow || !targetRow || !template)
    return { status: 'failed', reason: `${service.name} has no template for ${target.runtime}`, projectId };

  const variables: Record<string, string> = { ...cmd.variables };
  if (cmd.version && !Object.hasOwn(variables, 'TAG')) variables.TAG = cmd.version;
  for (const [field, value] of Object.entries(answers))
    if (field.startsWith('variables.')) variables[field.slice('variables.'.length)] = value;
  const secretNames = new Set(serviceRow.secretVariables);

  // SPEC §7.0: what is not given comes from the target's applied release of this service; a
  // variable nobody has a value for is asked, never guessed.
  const applied = await appliedOfService(ctx.db, targetRow, service.id);
  const have = new Set([...Object.keys(variables), ...Object.keys(applied?.variablesMasked ?? {})]);
  const missing = scanTemplate(template).names.filter((n) => !have.has(n));
  const secretMissing = missing.filter((n) => secretNames.has(n));
  if (secretMissing.length)
    return {
      status: 'failed',
      reason: `${secretMissing.join(', ')} is secret and has no value on ${target.name}: set it once with a preview from the Deploy page`,
      projectId,
    };
  if (missing.length)
    return {
      status: 'needs_input',
      projectId,
      questions: missing.map((n) => ({
        field: `variables.${n}`,
        prompt: `No release on ${target.name} has a value for ${n}: what should it be?`,
        choices: [],
      })),
    };
  const request = PreviewReleaseRequest.safeParse({
    service_id: service.id,
    target_id: target.id,
    variables,
  });
  if (!request.success)
    return {
      status: 'failed',
      reason: `the variables are not valid: ${request.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      projectId,
    };
  const shown = Object.entries(variables)
    .map(([k, v]) => `${k}=${secretNames.has(k) ? '***' : v}`)
    .join(', ');
  const preview = await previewing(() => previewRelease(request.data, ctx), projectId);
  plan.add(
    'preview',
    `preview ${service.name} on ${target.name}${shown ? ` with ${shown}` : ''}; other variables from the applied release`,
  );
  plan.add(
    'apply',
    `on your confirm: apply the preview${preview.approval_required ? ` (${env.tier} needs an approval ticket: it waits in the inbox)` : ''}`,
  );
  return { status: 'previewed', previewRef: preview.preview_ref ?? undefined, projectId };
}

async function rollback(
  cmd: Extract<ParsedCommand, { intent: 'rollback' }>,
  answers: Record<string, string>,
  ctx: BridgeCtx,
  plan: Plan,
  scope: string | undefined,
): Promise<Omit<Outcome, 'plan'>> {
  await requireSomewhere(ctx, 'deploy:release:rollback');
  const { service, target, projectId } = await resolveTarget(cmd, answers, ctx, plan, scope);
  await requirePermissions(ctx.grants, applyPermissions(target.runtime, true), projectId);
  const targetRow = await findTarget(ctx.db, target.id);
  const running = targetRow?.appliedReleaseId
    ? await findRelease(ctx.db, targetRow.appliedReleaseId)
    : undefined;
  if (!running || running.serviceId !== service.id)
    return {
      status: 'failed',
      reason: `nothing of ${service.name} runs on ${target.name} to roll back`,
      projectId,
    };
  const preview = await previewing(() => previewRollback(running.id, ctx), projectId);
  plan.add('preview', `preview a rollback of ${running.id} on ${target.name}`);
  plan.add(
    'apply',
    `on your confirm: apply the rollback${preview.approval_required ? ' (it needs an approval ticket: it waits in the inbox)' : ''}`,
  );
  return { status: 'previewed', previewRef: preview.preview_ref ?? undefined, projectId };
}

async function status(
  cmd: Extract<ParsedCommand, { intent: 'status' }>,
  answers: Record<string, string>,
  ctx: BridgeCtx,
  plan: Plan,
  scope: string | undefined,
): Promise<Omit<Outcome, 'plan'>> {
  await requireSomewhere(ctx, 'target:read');
  const projectId = await resolveProject(cmd.project, scope, ctx, plan);
  let serviceId: string | undefined;
  let inProject = projectId;
  if (cmd.service) {
    const services = await ctx.lookups.findServices({
      name: cmd.service,
      project_id: projectId ?? undefined,
    });
    const names = await projectNamesOf(
      ctx,
      services.map((s) => s.project_id),
    );
    const s = pick('service_id', services, answers, {
      prompt: `Which service "${cmd.service}"?`,
      label: (x) => `${x.name} (${names.get(x.project_id) ?? x.project_id})`,
      none: `no service named "${cmd.service}" that you can read`,
      projectId,
    });
    plan.add('find_services', `service "${s.name}" (${s.id})`);
    serviceId = s.id;
    inProject = s.project_id;
  }
  const envs = await ctx.lookups.findEnvironments({
    name: cmd.environment,
    project_id: inProject ?? undefined,
  });
  const names = await projectNamesOf(
    ctx,
    envs.map((e) => e.project_id),
  );
  const env = pick('environment_id', envs, answers, {
    prompt: `Which environment "${cmd.environment}"?`,
    label: (e) => `${e.name} (${e.tier}, ${names.get(e.project_id) ?? e.project_id})`,
    none: `no environment named "${cmd.environment}" (or of that tier) that you can read`,
    projectId: inProject,
  });
  plan.add('find_environments', `environment "${env.name}" (${env.tier}, ${env.id})`);
  await requirePermissions(ctx.grants, ['target:read'], env.project_id);
  const targets = await ctx.lookups.findTargets({ service_id: serviceId, environment_id: env.id });
  plan.add('read_status', `read the newest status of ${targets.length} target(s)`);
  const rows = [];
  for (const t of targets) {
    const s = await getTargetStatus(ctx.db, t.id);
    const row = await findTarget(ctx.db, t.id);
    rows.push({
      target_id: t.id,
      name: t.name,
      runtime_type: t.runtime,
      state: s.state,
      observed_at: s.observed_at,
      error_code: s.error_code,
      applied_release_id: row?.appliedReleaseId ?? null,
    });
  }
  return { status: 'answered', projectId: env.project_id, result: { environment: env.name, targets: rows } };
}

async function list(
  cmd: Extract<ParsedCommand, { intent: 'list' }>,
  ctx: BridgeCtx,
  plan: Plan,
  scope: string | undefined,
): Promise<Omit<Outcome, 'plan'>> {
  await requireSomewhere(ctx, 'deploy:approval:read');
  const projectId = await resolveProject(cmd.project, scope, ctx, plan);
  if (projectId) await requirePermissions(ctx.grants, ['deploy:approval:read'], projectId);
  const tickets = await ctx.lookups.listTickets({ project_id: projectId ?? undefined, status: 'pending' });
  plan.add(
    'list_tickets',
    `list pending tickets${cmd.project ? ` of ${cmd.project}` : ''}: ${tickets.length}`,
  );
  return { status: 'answered', projectId, result: { tickets } };
}

async function explain(
  cmd: Extract<ParsedCommand, { intent: 'explain_failure' }>,
  ctx: BridgeCtx,
  plan: Plan,
): Promise<Omit<Outcome, 'plan'>> {
  const r = await findRelease(ctx.db, cmd.release_id);
  if (!r) return { status: 'failed', reason: `no release ${cmd.release_id}`, projectId: null };
  await requirePermissions(ctx.grants, ['deploy:release:read', `deploy:${r.runtimeType}:read`], r.projectId);
  const result = await ctx.lookups.readRelease(r.id);
  plan.add('read_release', `read the masked state and diagnostics of ${r.id}`);
  if (!result) return { status: 'failed', reason: `no release ${cmd.release_id}`, projectId: null };
  return {
    status: 'answered',
    projectId: r.projectId,
    result,
    ...(r.lifecycleState === 'failed' ? {} : { reason: `${r.id} did not fail: it is ${r.lifecycleState}` }),
  };
}

/**
 * Turns what was understood into an answer, a question or a preview, as the caller: every read is
 * narrowed to what the caller may read and every preview needs the caller's apply permissions
 * (403 naming the missing one). Nothing here approves, rejects, reveals, cancels or applies.
 */
export async function execute(
  parsed: ParsedCommand,
  answers: Record<string, string>,
  ctx: BridgeCtx,
  scope: string | undefined,
): Promise<Outcome> {
  const plan = new Plan();
  try {
    const out = await (async (): Promise<Omit<Outcome, 'plan'>> => {
      switch (parsed.intent) {
        case 'deploy':
          return deploy(parsed, answers, ctx, plan, scope);
        case 'rollback':
          return rollback(parsed, answers, ctx, plan, scope);
        case 'status':
          return status(parsed, answers, ctx, plan, scope);
        case 'list':
          return list(parsed, ctx, plan, scope);
        case 'explain_failure':
          return explain(parsed, ctx, plan);
        case 'unknown':
          return parsed.refusal
            ? { status: 'refused', reason: parsed.refusal, projectId: scope ?? null }
            : { status: 'failed', reason: UNDERSTOOD, projectId: scope ?? null };
      }
    })();
    return { ...out, plan: plan.steps };
  } catch (e) {
    if (e instanceof Stop) return { ...e.outcome, plan: plan.steps };
    throw e;
  }
}
