import { createHash } from 'node:crypto';
import { canonicalJson } from '../../../shared/canonical-json';

/** The hash the first event links to. */
export const GENESIS_HASH = '0'.repeat(64);

export type ChainedFields = {
  id: string;
  seq: number;
  action: string;
  resourceType: string;
  resourceId: string;
  projectId: string | null;
  teamId: string | null;
  environmentId: string | null;
  actorId: string | null;
  source: string;
  status: string;
  occurredAt: Date;
  detail: Record<string, unknown>;
  prevHash: string;
};

/** Covers every column but the hash itself, so editing any of them breaks the link. */
export function eventHash(e: ChainedFields): string {
  const body = canonicalJson({
    id: e.id,
    seq: e.seq,
    action: e.action,
    resource_type: e.resourceType,
    resource_id: e.resourceId,
    project_id: e.projectId,
    team_id: e.teamId,
    environment_id: e.environmentId,
    actor_id: e.actorId,
    source: e.source,
    status: e.status,
    occurred_at: e.occurredAt.toISOString(),
    detail: e.detail,
    prev_hash: e.prevHash,
  });
  return createHash('sha256').update(body).digest('hex');
}
