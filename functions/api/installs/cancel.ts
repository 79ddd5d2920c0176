import type { InstallTask } from '../../../shared/contracts/installs';
import { findTicket, lockTicket } from '../approvals/repo';
import { expireWithdrawnTicket } from '../approvals/service';
import type { ServiceCtx } from '../context';
import { ApiError, notFound } from '../errors';
import { cancelJobs, lockQueuedJobs } from '../jobs/service';
import { requirePermissions } from '../middleware/authorize';
import type { Grants } from '../rbac/enforcer';
import { transition } from './lifecycle';
import { findTask, lockEnvironment, lockTask } from './repo';
import { toTask } from './view';

/**
 * Withdraws a task no runner has claimed yet (SPEC §7.0): `pending_approval` or `queued` become
 * `cancelled`, a still-pending ticket `expired`, the queued job ends so no runner takes it. Its
 * requester may, and so may a holder of `environment:install`; a running task is the runner's: 409.
 */
export async function cancelTask(
  envId: string,
  taskId: string,
  ctx: ServiceCtx & { grants: Grants },
): Promise<InstallTask> {
  const found = await findTask(ctx.db, taskId);
  if (found?.environmentId !== envId) throw notFound('install task');
  const asked = found.approvalTicketId ? await findTicket(ctx.db, found.approvalTicketId) : undefined;
  const me = ctx.actor.userId;
  if (me === null || (found.createdBy !== me && asked?.requestedBy !== me))
    await requirePermissions(ctx.grants, ['environment:install'], found.projectId);

  return ctx.db.transaction(async (tx) => {
    // The order a claim and a decision take: job, ticket, environment, task.
    const jobs = await lockQueuedJobs(tx, 'install_task', taskId);
    const ticket = found.approvalTicketId ? await lockTicket(tx, found.approvalTicketId) : undefined;
    await lockEnvironment(tx, envId);
    const t = await lockTask(tx, taskId);
    if (!t) throw notFound('install task');
    if (t.status !== 'pending_approval' && t.status !== 'queued')
      throw new ApiError(
        'ILLEGAL_TRANSITION',
        `the task is ${t.status}; only a pending_approval or queued task not yet claimed is cancelled`,
      );
    const cancelled = await transition(
      tx,
      ctx.clock,
      t,
      'cancelled',
      ctx.actor,
      {},
      {
        from: t.status,
        approval_ticket: ticket?.id ?? null,
        job_id: t.jobId,
      },
    );
    if (ticket) await expireWithdrawnTicket(tx, ticket, ctx.clock, ctx.actor);
    await cancelJobs(tx, ctx.clock, jobs, ctx.actor);
    return toTask(cancelled);
  });
}
