/**
 * What a model is offered (SPEC §7.3): the read-only lookups of AiLookups and one `submit_command`
 * whose arguments are a ParsedCommand. No other tool exists for it, so a model talked into
 * approving, revealing, applying, confirming or granting can only ask for a tool that is not there,
 * and that request ends the interpretation as a refusal.
 */
import { z } from 'zod';
import type { AiLookups, ParsedCommand } from '../interpret';

export const LOOKUP_TOOLS = [
  'find_services',
  'find_environments',
  'find_targets',
  'list_tickets',
  'read_release',
] as const;
export const SUBMIT_TOOL = 'submit_command';
export const ALLOWED_TOOLS: readonly string[] = [...LOOKUP_TOOLS, SUBMIT_TOOL];

export type LookupTool = (typeof LOOKUP_TOOLS)[number];
export type ToolName = LookupTool | typeof SUBMIT_TOOL;

/** One tool as both wire formats describe it: a name, what it is for, a JSON schema of its input. */
export type ToolSpec = { name: ToolName; description: string; parameters: Record<string, unknown> };

const str = (description: string) => ({ type: 'string', description });
const object = (properties: Record<string, unknown>, required: string[] = []) => ({
  type: 'object',
  properties,
  required,
  additionalProperties: false,
});

/** Keyed by name, so a tool outside the allowed set cannot even be written down here. */
const SPECS: { [K in ToolName]: Omit<ToolSpec, 'name'> } = {
  find_services: {
    description: 'Services the caller may read, by (part of) name. Answers id, name, project_id.',
    parameters: object({ name: str('name or part of it'), project_id: str('limit to this project') }),
  },
  find_environments: {
    description: 'Environments by name or tier. Answers id, name, tier, project_id.',
    parameters: object({ name: str('name or tier'), project_id: str('limit to this project') }),
  },
  find_targets: {
    description: 'Deploy targets of a service in an environment. Answers id, name, runtime (k8s|compose).',
    parameters: object({ service_id: str('a service id'), environment_id: str('an environment id') }),
  },
  list_tickets: {
    description: 'Approval tickets (read only). Answers id, release_id, service, environment, status.',
    parameters: object({
      project_id: str('limit to this project'),
      status: { type: 'string', enum: ['pending'] },
    }),
  },
  read_release: {
    description: "A release's masked state, timeline and diagnostics, to explain a failure.",
    parameters: object({ id: str('a release id (rel_…)') }, ['id']),
  },
  submit_command: {
    description:
      'The one way to answer: the command the user asked for, with names as the user said them. ' +
      'Use intent "unknown" when the text asks for anything else.',
    parameters: {
      type: 'object',
      properties: {
        intent: {
          type: 'string',
          enum: ['deploy', 'rollback', 'status', 'list', 'explain_failure', 'unknown'],
        },
        service: str('service name (deploy, rollback, status)'),
        environment: str('environment name or tier (deploy, rollback, status)'),
        version: str('version or image tag to deploy'),
        variables: {
          type: 'object',
          additionalProperties: { type: 'string' },
          description: 'template variables the user gave (deploy)',
        },
        project: str('project name, when the user named one'),
        what: { type: 'string', enum: ['approvals'], description: 'what to list (list)' },
        release_id: str('release id (explain_failure)'),
        refusal: str('why the request cannot be served (unknown)'),
      },
      required: ['intent'],
      additionalProperties: false,
    },
  },
};

export const TOOL_SPECS: readonly ToolSpec[] = (Object.keys(SPECS) as ToolName[]).map((name) => ({
  name,
  ...SPECS[name],
}));

export const isAllowedTool = (name: string): name is ToolName => ALLOWED_TOOLS.includes(name);
export const isLookupTool = (name: string): name is LookupTool =>
  (LOOKUP_TOOLS as readonly string[]).includes(name);

const Name = z.string().trim().min(1).max(200);
const Project = Name.optional();
/** `strict`: a key the command has no place for (`approve: true`, `role`) is not quietly dropped. */
const SubmittedCommand = z.discriminatedUnion('intent', [
  z
    .object({
      intent: z.literal('deploy'),
      service: Name,
      environment: Name,
      version: Name.optional(),
      variables: z.record(z.string().max(200), z.string().max(10_000)).default({}),
      project: Project,
    })
    .strict(),
  z.object({ intent: z.literal('rollback'), service: Name, environment: Name, project: Project }).strict(),
  z
    .object({ intent: z.literal('status'), environment: Name, service: Name.optional(), project: Project })
    .strict(),
  z.object({ intent: z.literal('list'), what: z.literal('approvals'), project: Project }).strict(),
  z.object({ intent: z.literal('explain_failure'), release_id: Name }).strict(),
  z.object({ intent: z.literal('unknown'), refusal: z.string().max(500).optional() }).strict(),
]);

const INTENTS = new Set(['deploy', 'rollback', 'status', 'list', 'explain_failure', 'unknown']);

/** A name a model chose, fit to quote in a refusal: short, one line. */
export const quote = (v: unknown): string => JSON.stringify(String(v).replace(/\s+/g, ' ').slice(0, 60));

export const refuseTool = (name: string): ParsedCommand => ({
  intent: 'unknown',
  refusal: `the model asked for the tool ${quote(name)}, which the AI bridge does not have: it may only look things up and propose a command`,
});

/**
 * The ParsedCommand a `submit_command` call stands for. An intent the bridge does not know (approve,
 * reveal, grant…) or a field no command has is refused, naming it; arguments that merely do not
 * make a command are `unknown` without a refusal, as a sentence nobody understood would be.
 */
export function commandFromSubmission(input: unknown): ParsedCommand {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return { intent: 'unknown' };
  const args = input as Record<string, unknown>;
  if (!INTENTS.has(String(args.intent))) {
    return {
      intent: 'unknown',
      refusal: `the model proposed the action ${quote(args.intent)}, which the AI bridge may not do`,
    };
  }
  const parsed = SubmittedCommand.safeParse(args);
  if (parsed.success) return parsed.data;
  const extra = parsed.error.issues.find((i) => i.code === 'unrecognized_keys');
  if (extra && extra.code === 'unrecognized_keys') {
    return {
      intent: 'unknown',
      refusal: `the model added ${extra.keys.map(quote).join(', ')} to a ${String(args.intent)} command, which the AI bridge may not do`,
    };
  }
  return { intent: 'unknown' };
}

const optStr = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** Only the fields a lookup declares go back to the model, whatever else a row happens to carry. */
const pick = <T extends object, K extends keyof T>(rows: T[], keys: readonly K[]) =>
  rows.map((r) => Object.fromEntries(keys.map((k) => [k, r[k]])));

/** Longest tool result handed back, so one huge diagnostic cannot crowd the model's context. */
const MAX_RESULT_CHARS = 20_000;

/** Runs one lookup tool; its answer (JSON) is what the model sees next. */
export async function runLookup(name: LookupTool, input: unknown, lookups: AiLookups): Promise<string> {
  const a = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  let result: unknown;
  switch (name) {
    case 'find_services':
      result = pick(await lookups.findServices({ name: optStr(a.name), project_id: optStr(a.project_id) }), [
        'id',
        'name',
        'project_id',
      ]);
      break;
    case 'find_environments':
      result = pick(
        await lookups.findEnvironments({ name: optStr(a.name), project_id: optStr(a.project_id) }),
        ['id', 'name', 'tier', 'project_id'],
      );
      break;
    case 'find_targets':
      result = pick(
        await lookups.findTargets({
          service_id: optStr(a.service_id),
          environment_id: optStr(a.environment_id),
        }),
        ['id', 'name', 'runtime', 'environment_id'],
      );
      break;
    case 'list_tickets':
      result = pick(
        await lookups.listTickets({
          project_id: optStr(a.project_id),
          status: a.status === 'pending' ? 'pending' : undefined,
        }),
        ['id', 'release_id', 'service', 'environment', 'status'],
      );
      break;
    case 'read_release': {
      const id = optStr(a.id);
      result = (id && (await lookups.readRelease(id))) ?? { error: 'no such release, or not readable' };
      break;
    }
  }
  const text = JSON.stringify(result);
  return text.length > MAX_RESULT_CHARS ? `${text.slice(0, MAX_RESULT_CHARS)}…(truncated)` : text;
}
