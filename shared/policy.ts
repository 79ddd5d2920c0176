import { z } from 'zod';
import type { Tier } from './contracts/projects';

/** Actions a project policy can put behind a ticket. `install` covers uninstall and task rollback. */
export const TICKET_ACTIONS = ['apply', 'rollback', 'install'] as const;
export type TicketAction = (typeof TICKET_ACTIONS)[number];

const Actions = z.array(z.enum(TICKET_ACTIONS)).max(TICKET_ACTIONS.length);

export const Policy = z.object({
  preview_ttl_seconds: z.number().int().min(1).max(86_400),
  ticket_ttl_seconds: z
    .number()
    .int()
    .min(1)
    .max(7 * 86_400),
  tickets: z.object({ development: Actions, staging: Actions, production: Actions }),
  /** SPEC §7.2: false stops every automatic CD action; webhooks are still recorded. */
  ci_triggers_enabled: z.boolean(),
});
export type Policy = z.infer<typeof Policy>;

/** SPEC §4's default matrix: production tickets for apply, rollback and install; 15 min previews. */
export const DEFAULT_POLICY: Policy = {
  preview_ttl_seconds: 900,
  ticket_ttl_seconds: 1800,
  tickets: { development: [], staging: [], production: ['apply', 'rollback', 'install'] },
  ci_triggers_enabled: true,
};

export const PutPolicyRequest = z
  .object({
    preview_ttl_seconds: Policy.shape.preview_ttl_seconds.optional(),
    ticket_ttl_seconds: Policy.shape.ticket_ttl_seconds.optional(),
    tickets: z
      .object({
        development: Actions.optional(),
        staging: Actions.optional(),
        production: Actions.optional(),
      })
      .strict()
      .optional(),
    ci_triggers_enabled: z.boolean().optional(),
  })
  .strict();
export type PutPolicyRequest = z.infer<typeof PutPolicyRequest>;

/** PUT merges: fields given replace, fields absent keep their value. */
export function mergePolicy(current: Policy, patch: PutPolicyRequest): Policy {
  return {
    preview_ttl_seconds: patch.preview_ttl_seconds ?? current.preview_ttl_seconds,
    ticket_ttl_seconds: patch.ticket_ttl_seconds ?? current.ticket_ttl_seconds,
    tickets: {
      development: [...new Set(patch.tickets?.development ?? current.tickets.development)],
      staging: [...new Set(patch.tickets?.staging ?? current.tickets.staging)],
      production: [...new Set(patch.tickets?.production ?? current.tickets.production)],
    },
    ci_triggers_enabled: patch.ci_triggers_enabled ?? current.ci_triggers_enabled,
  };
}

export const needsTicket = (policy: Policy, tier: Tier, action: TicketAction) =>
  policy.tickets[tier].includes(action);
