/**
 * The AI command bridge (SPEC §7.3): a sentence in, the same release contract out. The routes
 * validate and document with these; the SPA reads them typed.
 */
import { z } from 'zod';
import { Release } from '../releases/contracts';

export const INTENTS = ['deploy', 'rollback', 'status', 'list', 'explain_failure', 'unknown'] as const;
export const COMMAND_STATUSES = [
  'needs_input',
  'refused',
  'answered',
  'previewed',
  'confirmed',
  'failed',
] as const;

const Id = z.string().min(1).max(64);

export const CreateCommandRequest = z.object({
  text: z.string().trim().min(1).max(1000),
  project_id: Id.optional(),
});

/** `field` is `service_id`, `environment_id`, `target_id` or `variables.<NAME>`. */
export const AnswerCommandRequest = z.object({
  answers: z.record(z.string().min(1).max(200), z.string().max(1000)),
});

export const PlanStep = z.object({
  step: z.number().int(),
  /** One of the read-only tools an interpreter may use, or `preview` / `apply` (the confirm). */
  tool: z.string(),
  summary: z.string(),
});

export const Question = z.object({
  field: z.string(),
  prompt: z.string(),
  /** Empty: a free answer (a variable nobody has a value for). */
  choices: z.array(z.object({ value: z.string(), label: z.string() })),
});
export type Question = z.infer<typeof Question>;

export const Command = z.object({
  id: z.string(),
  text: z.string(),
  project_id: z.string().nullable(),
  intent: z.enum(INTENTS),
  status: z.enum(COMMAND_STATUSES),
  plan: z.array(PlanStep),
  /** The release in preview, as the preview API answers it (masked diff, risk and its reasons). */
  preview: Release.optional(),
  questions: z.array(Question).optional(),
  reason: z.string().optional(),
  /** What a status, list or explain_failure command found (names, ids, states, masked text). */
  result: z.record(z.string(), z.unknown()).optional(),
  /** The release the confirm made. */
  release_id: z.string().nullable(),
  /** `parser`, or the model provider that read the text. */
  interpreter: z.string(),
  /** What was sent to the model provider, masked as it was sent; empty for the parser. */
  provider_requests: z.array(z.unknown()),
  created_by: z.string(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type Command = z.infer<typeof Command>;

export const ListCommandsQuery = z.object({ project_id: Id.optional() });
