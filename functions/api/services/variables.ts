import type { ServiceVariables } from '../../../shared/contracts/deploy';
import { scanTemplate } from '../../../shared/releases';
import type { Db } from '../../platform/db/types';
import { invalid, notFound } from '../errors';
import { requirePermissions } from '../middleware/authorize';
import type { Grants } from '../rbac/enforcer';
import { appliedOfService, MASK, maskedNames } from '../releases/applied-values';
import { findTarget } from '../targets/repo';
import { findService } from './repo';

/** The template a target of this runtime renders, or null when the service has none for it. */
export const templateFor = (
  service: { k8sManifest: string | null; composeFile: string | null },
  runtime: 'k8s' | 'compose',
) => (runtime === 'k8s' ? service.k8sManifest : service.composeFile);

/**
 * What the Deploy form starts from. Secret values never leave masked: the release row's masked
 * variables are read, its sealed envelope is not opened.
 */
export async function serviceVariables(
  serviceId: string,
  targetId: string,
  ctx: { db: Db; grants: Grants },
): Promise<ServiceVariables> {
  const service = await findService(ctx.db, serviceId);
  if (!service) throw notFound('service');
  const target = await findTarget(ctx.db, targetId);
  if (!target) throw notFound('target');
  await requirePermissions(ctx.grants, ['target:read'], target.projectId);
  if (target.projectId !== service.projectId)
    throw invalid('target_id', 'the target is not in the service’s project');
  const template = templateFor(service, target.runtimeType);
  if (!template)
    throw invalid(
      'target_id',
      `the service has no ${target.runtimeType === 'k8s' ? 'k8s_manifest' : 'compose_file'} for this target`,
    );
  const placeholders = scanTemplate(template).names;
  const applied = await appliedOfService(ctx.db, target, service.id);
  const secretThere = new Set(applied ? maskedNames(applied) : []);
  const secret = placeholders.filter((n) => service.secretVariables.includes(n) || secretThere.has(n));
  const values: Record<string, string> = {};
  for (const name of placeholders) {
    const v = applied?.variablesMasked[name];
    if (v !== undefined) values[name] = secret.includes(name) ? MASK : String(v);
  }
  return {
    service_id: service.id,
    target_id: target.id,
    runtime_type: target.runtimeType,
    placeholders,
    secret,
    applied_release_id: applied?.id ?? null,
    values,
  };
}
