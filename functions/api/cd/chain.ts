import { eq, inArray } from 'drizzle-orm';
import type { ReleaseBuild, ReleaseChain } from '../../../shared/contracts/cd';
import { services, users } from '../../platform/db/schema';
import type { Db } from '../../platform/db/types';
import { findTicket } from '../approvals/repo';
import { listEvents } from '../audit/repo';
import { findBuild } from '../ci/repo';
import { notFound } from '../errors';
import type { Grants } from '../rbac/enforcer';
import type { ReleaseRow } from '../releases/repo';

/** The build a release came from, as the release carries it (SPEC §7.2). */
export async function buildOfRelease(db: Db, r: Pick<ReleaseRow, 'buildId'>): Promise<ReleaseBuild | null> {
  if (!r.buildId) return null;
  const b = await findBuild(db, r.buildId);
  return b
    ? {
        id: b.id,
        pipeline_id: b.pipelineId,
        commit: b.commitSha,
        ref: b.ref,
        provider_run_id: b.providerRunId,
      }
    : null;
}

/** Events of one release or ticket are few; this bounds a pathological one. */
const MAX_EVENTS = 200;

/**
 * service → build → release → ticket → decisions → actors in one answer (seed 002 decision 4).
 * The release and what hangs off it are left out unless the caller may read the release
 * (deploy:release:read + the runtime's read, SPEC §7.0).
 */
export async function releaseChain(db: Db, grants: Grants, r: ReleaseRow): Promise<ReleaseChain> {
  // A deleted service is kept for history: its releases still tell where they came from.
  const [service] = await db.select().from(services).where(eq(services.id, r.serviceId));
  if (!service) throw notFound('service');
  const chain: ReleaseChain = {
    service: { id: service.id, name: service.name },
    build: await buildOfRelease(db, r),
    release: null,
    ticket: null,
    decisions: [],
    actors: [],
  };
  const mayRead =
    (await grants.can('deploy:release:read', r.projectId)) &&
    (await grants.can(`deploy:${r.runtimeType}:read`, r.projectId));
  if (!mayRead) return chain;
  chain.release = {
    id: r.id,
    lifecycle_state: r.lifecycleState,
    target_id: r.targetId,
    environment_id: r.environmentId,
    rollback_of: r.rollbackOf,
    created_by: r.createdBy,
    created_at: r.createdAt.toISOString(),
  };
  const ticket = r.approvalTicketId ? await findTicket(db, r.approvalTicketId) : undefined;
  if (ticket)
    chain.ticket = {
      id: ticket.id,
      status: ticket.status,
      requested_by: ticket.requestedBy,
      created_at: ticket.createdAt.toISOString(),
    };
  const visible = [r.projectId];
  const events = [
    ...(await listEvents(db, {
      resourceType: 'release',
      resourceId: r.id,
      visibleProjects: visible,
      limit: MAX_EVENTS,
    })),
    ...(ticket
      ? await listEvents(db, {
          resourceType: 'approval_ticket',
          resourceId: ticket.id,
          visibleProjects: visible,
          limit: MAX_EVENTS,
        })
      : []),
  ].sort((a, b) => a.seq - b.seq);
  const onBehalfOf = (e: (typeof events)[number]) => {
    const v = (e.detail as Record<string, unknown>).on_behalf_of;
    return typeof v === 'string' ? v : null;
  };
  const names = await usernames(db, [
    ...events.flatMap((e) => [e.actorId, onBehalfOf(e)]),
    ticket?.decidedBy ?? null,
  ]);
  const nameOf = (id: string | null) => (id ? (names.get(id) ?? null) : null);
  if (ticket?.decidedBy && ticket.decidedAt)
    chain.decisions.push({
      decision: ticket.status === 'rejected' ? 'rejected' : 'approved',
      decided_by: ticket.decidedBy,
      decided_by_username: nameOf(ticket.decidedBy),
      comment: ticket.decisionComment,
      at: ticket.decidedAt.toISOString(),
    });
  chain.actors = events.map((e) => ({
    action: e.action,
    at: e.occurredAt.toISOString(),
    actor: { user_id: e.actorId, username: nameOf(e.actorId), source: e.source },
    on_behalf_of: onBehalfOf(e),
    on_behalf_of_username: nameOf(onBehalfOf(e)),
  }));
  return chain;
}

/** One query for every user the chain names; a user who is gone has no name (null). */
async function usernames(db: Db, ids: (string | null)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((x): x is string => x !== null))];
  if (wanted.length === 0) return new Map();
  const rows = await db
    .select({ id: users.id, username: users.username })
    .from(users)
    .where(inArray(users.id, wanted));
  return new Map(rows.map((u) => [u.id, u.username] as const));
}
