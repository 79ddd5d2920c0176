import { z } from 'zod';
import { AUDIT_SOURCES } from '../events';

export const AuditEvent = z.object({
  event_id: z.string(),
  id: z.string(),
  seq: z.number().int(),
  action: z.string(),
  resource_type: z.string(),
  resource_id: z.string(),
  project_id: z.string().nullable(),
  team_id: z.string().nullable(),
  environment_id: z.string().nullable(),
  actor_id: z.string().nullable(),
  source: z.enum(AUDIT_SOURCES),
  status: z.string(),
  occurred_at: z.string(),
  detail: z.record(z.string(), z.unknown()),
  prev_hash: z.string(),
  hash: z.string(),
});
export type AuditEvent = z.infer<typeof AuditEvent>;
