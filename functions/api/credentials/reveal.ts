import { createHash } from 'node:crypto';
import type { RevealedCredential, RevealPending } from '../../../shared/contracts/credentials';
import { lockTicket } from '../approvals/repo';
import { createTicket, type TicketHandler, useTicket } from '../approvals/service';
import { recordEvent } from '../audit/writer';
import { ApiError, invalid, notFound } from '../errors';
import { policyOf } from '../policy/service';
import { bindRevealTicket, type CredentialRow, findCredential, revealTicketVersion } from './repo';
import { type CredentialCtx, openPayload, toCredential } from './service';

/**
 * The version of the credential's secret: every seal (create, rotate) draws a fresh data key, so
 * its wrapped form names exactly one payload. A hash, so the stored binding reveals nothing.
 */
const versionOf = (c: CredentialRow) =>
  createHash('sha256').update(c.envelope.wrapped_key, 'utf8').digest('hex');

/**
 * Reveal (SPEC §4): the only way a secret leaves the platform. It always takes a ticket, whatever
 * the tier; the ticket is decided in the one inbox by someone other than the requester (the
 * approvals module refuses self-approval), and only the requester collects the payload, once.
 */
export async function requestReveal(id: string, ctx: CredentialCtx): Promise<RevealPending> {
  return ctx.db.transaction(async (tx) => {
    const c = await findCredential(tx, id);
    if (!c) throw notFound('credential');
    const policy = await policyOf(tx, c.projectId);
    const ticket = await createTicket(tx, ctx.clock, {
      projectId: c.projectId,
      environmentId: null,
      kind: 'credential_reveal',
      resourceType: 'credential',
      resourceId: c.id,
      // A secret leaving the platform is never routine.
      riskLevel: 'high',
      requestedBy: ctx.actor.userId,
      ttlSeconds: policy.ticket_ttl_seconds,
      source: ctx.actor.source,
    });
    // What is approved is this version of the secret, not whatever the credential holds later.
    await bindRevealTicket(tx, { ticketId: ticket.id, credentialId: c.id, dataKeySha256: versionOf(c) });
    await recordEvent(tx, ctx.clock, {
      action: 'credential.reveal_requested',
      resourceType: 'credential',
      resourceId: c.id,
      projectId: c.projectId,
      actor: ctx.actor,
      detail: { name: c.name, kind: c.kind, ticket_id: ticket.id },
    });
    return { approval_ticket: ticket.id, status: 'pending' as const };
  });
}

/**
 * Hands out the payload against an approved ticket, once: the ticket is marked used, the reveal
 * audited and the envelope opened in one transaction, so a failure to open leaves the ticket
 * unused and a second collection finds it used. An approved ticket is collected within the
 * project's ticket lifetime after its approval, or not at all.
 */
export async function collectReveal(
  id: string,
  ticketId: string,
  ctx: CredentialCtx,
): Promise<RevealedCredential> {
  return ctx.db.transaction(async (tx) => {
    const c = await findCredential(tx, id);
    if (!c) throw notFound('credential');
    const t = await lockTicket(tx, ticketId);
    if (!t) throw notFound('ticket');
    if (t.kind !== 'credential_reveal' || t.resourceType !== 'credential' || t.resourceId !== c.id)
      throw invalid('approval_ticket', 'is not a reveal ticket of this credential');
    if (t.requestedBy !== ctx.actor.userId)
      throw new ApiError('FORBIDDEN', 'only the person who requested the reveal may collect it');
    const now = ctx.clock.now();
    switch (t.status) {
      case 'used':
        throw new ApiError('TICKET_USED', 'the ticket was already used');
      case 'rejected':
        throw new ApiError('TICKET_DECIDED', 'the ticket was rejected');
      case 'expired':
        throw new ApiError('TICKET_EXPIRED', 'the ticket expired before it was decided');
      case 'pending':
        if (t.expiresAt <= now)
          throw new ApiError('TICKET_EXPIRED', 'the ticket expired before it was decided');
        throw new ApiError('TICKET_NOT_APPROVED', 'the ticket is waiting for a decision');
    }
    // The approvals module never lets a requester decide; this holds even if a row was edited.
    if (!t.decidedBy || t.decidedBy === t.requestedBy)
      throw new ApiError('SELF_APPROVAL', 'a reveal must be approved by someone other than its requester');
    const ttl = (await policyOf(tx, c.projectId)).ticket_ttl_seconds;
    if (!t.decidedAt || t.decidedAt.getTime() + ttl * 1000 <= now.getTime())
      throw new ApiError('TICKET_EXPIRED', 'the approved reveal was not collected in time');
    if ((await revealTicketVersion(tx, t.id)) !== versionOf(c))
      throw new ApiError(
        'CREDENTIAL_ROTATED',
        'the credential was rotated after this reveal was requested; request a new reveal',
      );
    await useTicket(tx, t, ctx.clock, ctx.actor);
    await recordEvent(tx, ctx.clock, {
      action: 'credential.revealed',
      resourceType: 'credential',
      resourceId: c.id,
      projectId: c.projectId,
      actor: ctx.actor,
      detail: { name: c.name, kind: c.kind, ticket_id: t.id, approved_by: t.decidedBy },
    });
    return { credential_id: c.id, kind: c.kind, payload: await openPayload(ctx.keys, c) };
  });
}

/** What an approver sees in the inbox for a reveal ticket: the credential's masked description. */
export const revealTicketHandler: TicketHandler = {
  async describe(db, ticket) {
    const c = await findCredential(db, ticket.resourceId);
    return c ? { credential: toCredential(c) } : null;
  },
};
