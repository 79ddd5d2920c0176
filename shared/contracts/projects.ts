import { z } from 'zod';
import { RunnerPoolRef } from './runners';

export const TIERS = ['development', 'staging', 'production'] as const;
export const Tier = z.enum(TIERS);
export type Tier = z.infer<typeof Tier>;

const Name = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, '1-63 characters: lowercase letters, digits, "-"');

export const Project = z.object({ id: z.string(), name: z.string(), created_at: z.string() });
export type Project = z.infer<typeof Project>;

export const CreateProjectRequest = z.object({ name: Name }).strict();
export type CreateProjectRequest = z.infer<typeof CreateProjectRequest>;

/** A project's id is fixed; only its name changes. */
export const PatchProjectRequest = z.object({ name: Name }).strict();
export type PatchProjectRequest = z.infer<typeof PatchProjectRequest>;

export const Environment = z.object({
  id: z.string(),
  project_id: z.string(),
  name: z.string(),
  tier: Tier,
  runner_pool_id: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type Environment = z.infer<typeof Environment>;

export const CreateEnvironmentRequest = z
  .object({
    project_id: z.string().min(1).max(64),
    name: Name,
    tier: Tier,
    runner_pool_id: RunnerPoolRef.optional(),
  })
  .strict();
export type CreateEnvironmentRequest = z.infer<typeof CreateEnvironmentRequest>;

export const PatchEnvironmentRequest = z
  .object({ name: Name.optional(), runner_pool_id: RunnerPoolRef.optional() })
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'give at least one field to change');
export type PatchEnvironmentRequest = z.infer<typeof PatchEnvironmentRequest>;
