import { z } from 'zod';

export const TICKET_KINDS = ['release_apply', 'release_rollback', 'install', 'credential_reveal'] as const;
export const TICKET_STATUSES = ['pending', 'approved', 'rejected', 'expired', 'used'] as const;
export const RISK_LEVELS = ['low', 'medium', 'high', 'critical'] as const;

export const Ticket = z.object({
  id: z.string(),
  ticket_id: z.string(),
  project_id: z.string(),
  environment_id: z.string().nullable(),
  kind: z.enum(TICKET_KINDS),
  resource_type: z.string(),
  resource_id: z.string(),
  status: z.enum(TICKET_STATUSES),
  risk_level: z.enum(RISK_LEVELS).nullable(),
  requested_by: z.string(),
  decided_by: z.string().nullable(),
  decision_comment: z.string().nullable(),
  decided_at: z.string().nullable(),
  expires_at: z.string(),
  created_at: z.string(),
  /**
   * What a release's ticket approves (SPEC §7.5): the digest of the unmasked revision and the
   * sha256 of its masked revision (`GET /deploy/releases/:id/revision`). Null for other kinds, and
   * masked_digest for releases previewed before masked revisions were kept.
   */
  revision_digest: z.string().nullable(),
  masked_digest: z.string().nullable(),
});
export type Ticket = z.infer<typeof Ticket>;

/** A ticket with what it is for: an approver sees the change, not just a request. */
export const TicketDetail = Ticket.extend({ subject: z.record(z.string(), z.unknown()).nullable() });
export type TicketDetail = z.infer<typeof TicketDetail>;

export const InboxQuery = z.object({
  project_id: z.string().max(64).optional(),
  environment_id: z.string().max(64).optional(),
  risk_level: z.enum(RISK_LEVELS).optional(),
  status: z.enum(TICKET_STATUSES).optional(),
  /** `true`: only tickets the caller requested. */
  mine: z.enum(['true', 'false']).optional(),
  /**
   * `true`: only tickets the caller may decide now: pending and not yet due, in a project where
   * the caller holds the decider permissions, and neither requested nor previewed by the caller.
   */
  awaiting_my_decision: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});
export type InboxQuery = z.infer<typeof InboxQuery>;

export const DecisionRequest = z
  .object({ decision: z.enum(['approve', 'reject']), comment: z.string().max(2000).default('') })
  .strict();
export type DecisionRequest = z.infer<typeof DecisionRequest>;

export const BatchDecisionRequest = z
  .object({
    ticket_ids: z.array(z.string().min(1).max(64)).min(1).max(100),
    decision: z.enum(['approve', 'reject']),
    comment: z.string().max(2000).default(''),
  })
  .strict();
export type BatchDecisionRequest = z.infer<typeof BatchDecisionRequest>;

export const BatchDecisionResponse = z.object({
  results: z.array(
    z.object({
      ticket_id: z.string(),
      outcome: z.enum(['approved', 'rejected', 'refused']),
      error: z.object({ code: z.string(), message: z.string() }).nullable(),
    }),
  ),
});
export type BatchDecisionResponse = z.infer<typeof BatchDecisionResponse>;
