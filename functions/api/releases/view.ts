import type { Release, ReleaseRevision } from '../../../shared/releases';
import { statusOf } from '../../../shared/releases';
import type { ReleaseListRow, ReleaseRow } from './repo';

/** Every release response carries SPEC's standard fields; nothing unmasked ever goes out. */
export function toRelease(r: ReleaseListRow): Release {
  // The reasons live beside the diff they were computed from; releases older than them have none.
  const diff = r.diff as Release['diff'] & { risk_reasons?: Release['risk_reasons'] };
  return {
    release_id: r.id,
    id: r.id,
    status: statusOf(r.lifecycleState),
    lifecycle_state: r.lifecycleState,
    runtime_type: r.runtimeType,
    approval_required: r.approvalRequired,
    approval_ticket: r.approvalTicketId,
    // A preview_ref is only useful while it can still be applied.
    preview_ref: r.lifecycleState === 'preview' ? r.previewRef : null,
    diagnostics_json: r.diagnosticsJson,
    diagnostics_trimmed: r.diagnosticsTrimmedAt !== null,
    service_id: r.serviceId,
    target_id: r.targetId,
    environment_id: r.environmentId,
    project_id: r.projectId,
    strategy: r.strategy,
    risk_level: r.riskLevel,
    risk_reasons: diff.risk_reasons ?? [],
    checks: r.checks,
    diff: { unified: diff.unified, summary: diff.summary },
    expires_at: r.expiresAt.toISOString(),
    rollback_of: r.rollbackOf,
    created_by: r.createdBy,
    created_at: r.createdAt.toISOString(),
    updated_at: r.updatedAt.toISOString(),
  };
}

export const toRevision = (r: ReleaseRow): ReleaseRevision => ({
  release_id: r.id,
  masked_revision: r.maskedRevision,
  masked_digest: r.maskedDigest,
  revision_digest: r.revisionDigest,
});
