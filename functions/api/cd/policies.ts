import type { CdPolicy, PutCdPolicyRequest } from '../../../shared/contracts/cd';
import type { Permission } from '../../../shared/permissions';
import { recordEvent } from '../audit/writer';
import type { ServiceCtx } from '../context';
import { findEnvironment } from '../environments/repo';
import { ApiError, invalid, notFound } from '../errors';
import { requirePermissions } from '../middleware/authorize';
import type { Grants } from '../rbac/enforcer';
import { applyPermissions } from '../releases/preview';
import { findService } from '../services/repo';
import { findTarget } from '../targets/repo';
import { type CdPolicyRow, findCdPolicy, upsertCdPolicy } from './repo';

export type CdCtx = ServiceCtx & { grants: Grants };

export const toCdPolicy = (r: CdPolicyRow): CdPolicy => ({
  service_id: r.serviceId,
  environment_id: r.environmentId,
  project_id: r.projectId,
  target_ids: r.targetIds,
  strategy: r.strategy,
  auto_preview_on_build: r.autoPreviewOnBuild,
  auto_apply: r.autoApply,
  approval: r.approval,
  auto_rollback_on_failure: r.autoRollbackOnFailure,
  saved_by: r.savedBy,
  created_at: r.createdAt.toISOString(),
  updated_at: r.updatedAt.toISOString(),
});

/** The permissions a policy will use on targets of these runtimes (SPEC §7.0 "who acts"). */
export function permissionsUsed(
  p: Pick<PutCdPolicyRequest, 'auto_preview_on_build' | 'auto_apply' | 'auto_rollback_on_failure'>,
  runtimes: Iterable<'k8s' | 'compose'>,
): Permission[] {
  const out = new Set<Permission>();
  for (const runtime of runtimes) {
    if (p.auto_preview_on_build || p.auto_apply) for (const x of applyPermissions(runtime, false)) out.add(x);
    if (p.auto_rollback_on_failure) for (const x of applyPermissions(runtime, true)) out.add(x);
  }
  return [...out];
}

/** The service, in a project the caller may read policies of; 404 otherwise. */
export async function serviceFor(ctx: CdCtx, serviceId: string, permission: Permission) {
  const service = await findService(ctx.db, serviceId);
  if (!service) throw notFound('service');
  await requirePermissions(ctx.grants, [permission], service.projectId);
  return service;
}

/**
 * Saves the policy of a service in an environment. The saver becomes the user automatic actions
 * run as, so saving needs every apply/rollback permission the policy will use on its targets.
 */
export async function putCdPolicy(
  serviceId: string,
  environmentId: string,
  input: PutCdPolicyRequest,
  ctx: CdCtx,
): Promise<CdPolicy> {
  const service = await serviceFor(ctx, serviceId, 'cd:write');
  const env = await findEnvironment(ctx.db, environmentId);
  if (!env || env.projectId !== service.projectId)
    throw invalid('environment_id', 'no such environment in the service’s project');
  const ids = [...new Set(input.target_ids)];
  const fields: { path: string; message: string }[] = [];
  const runtimes = new Set<'k8s' | 'compose'>();
  for (const [i, id] of ids.entries()) {
    const t = await findTarget(ctx.db, id);
    if (!t || t.projectId !== service.projectId)
      fields.push({ path: `target_ids.${i}`, message: 'no such target in the service’s project' });
    else if (t.environmentId !== env.id)
      fields.push({ path: `target_ids.${i}`, message: `the target is not in environment ${env.id}` });
    else runtimes.add(t.runtimeType);
  }
  if (fields.length) throw new ApiError('VALIDATION_FAILED', 'request failed validation', fields);
  await requirePermissions(ctx.grants, permissionsUsed(input, runtimes), service.projectId);

  return ctx.db.transaction(async (tx) => {
    const now = ctx.clock.now();
    const before = await findCdPolicy(tx, serviceId, environmentId);
    const row: CdPolicyRow = {
      serviceId,
      environmentId,
      projectId: service.projectId,
      targetIds: ids,
      strategy: input.strategy,
      autoPreviewOnBuild: input.auto_preview_on_build,
      autoApply: input.auto_apply,
      approval: input.approval,
      autoRollbackOnFailure: input.auto_rollback_on_failure,
      savedBy: ctx.actor.userId,
      createdAt: before?.createdAt ?? now,
      updatedAt: now,
    };
    await upsertCdPolicy(tx, row);
    const after = toCdPolicy(row);
    await recordEvent(tx, ctx.clock, {
      action: 'cd_policy.saved',
      resourceType: 'cd_policy',
      resourceId: `${serviceId}/${environmentId}`,
      projectId: service.projectId,
      environmentId,
      actor: ctx.actor,
      detail: { before: before ? toCdPolicy(before) : null, after },
    });
    return after;
  });
}
