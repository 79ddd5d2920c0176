import type { Question } from '../../../shared/contracts/ai';
import type { Permission } from '../../../shared/permissions';
import { invalid } from '../errors';
import { forbidden } from '../middleware/authorize';
import type { ReleaseCtx } from '../releases/preview';
import type { lookupsFor } from './lookups';

/**
 * Names to things, for the executor: each step it takes goes on the plan, and a name that matches
 * nothing or more than one thing stops resolution with a failure or a question, never a guess.
 */

export type BridgeCtx = ReleaseCtx & { lookups: ReturnType<typeof lookupsFor> };

export type PlanStep = { step: number; tool: string; summary: string };

/** A stopped command: a question or a failure, with where it stands. */
export type Stopped = {
  status: 'needs_input' | 'failed';
  projectId: string | null;
  questions?: Question[];
  reason?: string;
};

/** Collects the plan as the command is resolved, so the answer shows each step that was taken. */
export class Plan {
  readonly steps: PlanStep[] = [];
  add(tool: string, summary: string) {
    this.steps.push({ step: this.steps.length + 1, tool, summary });
  }
}

/** Stops resolution with an outcome (a question or a failure); caught by `execute`. */
export class Stop {
  constructor(readonly outcome: Stopped) {}
}

/** The caller must hold `p` somewhere before anything is looked up: a viewer's deploy is a 403. */
export async function requireSomewhere(ctx: BridgeCtx, p: Permission) {
  const where = await ctx.grants.projectsWith(p);
  if (where !== 'all' && where.length === 0) throw forbidden([p]);
}

/**
 * One of `candidates`: the answer to `field` when given (it must be one of them), the only one, or
 * a question listing them all. None: the command fails with `none`.
 */
export function pick<T extends { id: string }>(
  field: string,
  candidates: T[],
  answers: Record<string, string>,
  o: { prompt: string; label: (c: T) => string; none: string; projectId: string | null },
): T {
  const answered = answers[field];
  if (answered !== undefined) {
    const chosen = candidates.find((c) => c.id === answered);
    if (!chosen) throw invalid(`answers.${field}`, 'not one of the choices');
    return chosen;
  }
  if (candidates.length === 1) return candidates[0]!;
  if (!candidates.length) throw new Stop({ status: 'failed', reason: o.none, projectId: o.projectId });
  throw new Stop({
    status: 'needs_input',
    projectId: o.projectId,
    questions: [
      { field, prompt: o.prompt, choices: candidates.map((c) => ({ value: c.id, label: o.label(c) })) },
    ],
  });
}

/** Resolves names to a service, its environment and its one target there (SPEC §7.3). */
export async function resolveTarget(
  cmd: { service: string; environment: string; project?: string },
  answers: Record<string, string>,
  ctx: BridgeCtx,
  plan: Plan,
  scope: string | undefined,
) {
  const projectId = await resolveProject(cmd.project, scope, ctx, plan);
  const services = await ctx.lookups.findServices({ name: cmd.service, project_id: projectId ?? undefined });
  const projectNames = await projectNamesOf(
    ctx,
    services.map((s) => s.project_id),
  );
  const service = pick('service_id', services, answers, {
    prompt: `Which service "${cmd.service}"?`,
    label: (s) => `${s.name} (${projectNames.get(s.project_id) ?? s.project_id})`,
    none: `no service named "${cmd.service}" that you can read`,
    projectId,
  });
  plan.add('find_services', `service "${service.name}" (${service.id})`);
  const envs = await ctx.lookups.findEnvironments({ name: cmd.environment, project_id: service.project_id });
  const env = pick('environment_id', envs, answers, {
    prompt: `Which environment "${cmd.environment}"?`,
    label: (e) => `${e.name} (${e.tier})`,
    none: `no environment named "${cmd.environment}" (or of that tier) in the service's project`,
    projectId: service.project_id,
  });
  plan.add('find_environments', `environment "${env.name}" (${env.tier}, ${env.id})`);
  const targets = await ctx.lookups.findTargets({ service_id: service.id, environment_id: env.id });
  const target = pick('target_id', targets, answers, {
    prompt: `Which target of ${env.name}?`,
    label: (t) => `${t.name} (${t.runtime})`,
    none: `no target in ${env.name} for a runtime ${service.name} has a template for`,
    projectId: service.project_id,
  });
  plan.add('find_targets', `target "${target.name}" (${target.runtime}, ${target.id})`);
  return { service, env, target, projectId: service.project_id };
}

export async function resolveProject(
  name: string | undefined,
  scope: string | undefined,
  ctx: BridgeCtx,
  plan: Plan,
) {
  if (!name) return scope ?? null;
  const [p] = await ctx.lookups.findProjects(name);
  if (!p || (scope && p.id !== scope))
    throw new Stop({
      status: 'failed',
      reason: `no project named "${name}" that you can read`,
      projectId: scope ?? null,
    });
  plan.add('find_projects', `project "${p.name}" (${p.id})`);
  return p.id;
}

export async function projectNamesOf(ctx: BridgeCtx, ids: string[]) {
  const names = new Map<string, string>();
  for (const id of new Set(ids)) {
    const [p] = await ctx.lookups.findProjectById(id);
    if (p) names.set(id, p.name);
  }
  return names;
}
