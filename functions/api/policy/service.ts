import { DEFAULT_POLICY, mergePolicy, Policy, type PutPolicyRequest } from '../../../shared/policy';
import type { Db } from '../../platform/db/types';
import { recordEvent } from '../audit/writer';
import type { ServiceCtx } from '../context';
import { notFound } from '../errors';
import { findProject } from '../projects/repo';
import { findPolicy, upsertPolicy } from './repo';

/** The project's policy; a project that never set one has the default matrix. */
export async function policyOf(db: Db, projectId: string): Promise<Policy> {
  const stored = await findPolicy(db, projectId);
  if (!stored) return DEFAULT_POLICY;
  // Stored policies are ours, but a newer field added later must fall back to its default.
  const parsed = Policy.safeParse({ ...DEFAULT_POLICY, ...stored });
  return parsed.success ? parsed.data : DEFAULT_POLICY;
}

export async function putPolicy(
  projectId: string,
  patch: PutPolicyRequest,
  ctx: ServiceCtx,
): Promise<Policy> {
  return ctx.db.transaction(async (tx) => {
    if (!(await findProject(tx, projectId))) throw notFound('project');
    const before = await policyOf(tx, projectId);
    const after = mergePolicy(before, patch);
    await upsertPolicy(tx, projectId, after, ctx.clock.now());
    await recordEvent(tx, ctx.clock, {
      action: 'policy.updated',
      resourceType: 'project',
      resourceId: projectId,
      projectId,
      actor: ctx.actor,
      detail: { before, after },
    });
    return after;
  });
}
