import { jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { COMMAND_STATUSES, INTENTS } from '../../../../shared/contracts/ai';
import { timestamps } from './columns';
import { projects } from './projects';
import { users } from './users';

/** A command given to the AI bridge and what became of it; only its creator reads or moves it. */
export const aiCommands = pgTable('ai_commands', {
  id: text('id').primaryKey(),
  projectId: text('project_id').references(() => projects.id),
  createdBy: text('created_by')
    .notNull()
    .references(() => users.id),
  /** As given, with the values of secret variables masked. */
  text: text('text').notNull(),
  intent: text('intent', { enum: INTENTS }).notNull(),
  status: text('status', { enum: COMMAND_STATUSES }).notNull(),
  interpreter: text('interpreter').notNull(),
  parsed: jsonb('parsed').$type<Record<string, unknown>>().notNull(),
  answers: jsonb('answers').$type<Record<string, string>>().notNull(),
  plan: jsonb('plan').$type<{ step: number; tool: string; summary: string }[]>().notNull(),
  questions:
    jsonb('questions').$type<
      { field: string; prompt: string; choices: { value: string; label: string }[] }[]
    >(),
  reason: text('reason'),
  result: jsonb('result').$type<Record<string, unknown>>(),
  previewRef: text('preview_ref'),
  releaseId: text('release_id'),
  /** What was sent to a model provider, masked; empty for the parser. */
  providerRequests: jsonb('provider_requests').$type<unknown[]>().notNull(),
  ...timestamps,
});
