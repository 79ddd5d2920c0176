import { BundleEntry } from '../../../shared/install/manifest';
import { InstallHostResult, InstallPayload } from '../../../shared/install/work';
import { environmentInstallKind } from '../../../shared/jobs/environment-install';
import type { CompleteReport, StepReport } from '../../../shared/jobs/kinds';
import type { Clock } from '../../platform/clock';
import type { Db } from '../../platform/db/types';
import { recordEvent } from '../audit/writer';
import type { JobKindHandler } from '../jobs/kind';
import type { JobRow } from '../jobs/repo';
import { sealRenewed } from './certs';
import { keepFingerprints } from './fingerprints';
import { taskEvent, transition } from './lifecycle';
import { registerInstall } from './register';
import { findTask, lockTask, setRegistered } from './repo';
import { retireRegistrations } from './retire';
import { parseStepName } from './view';
import { queueVipTask } from './vip-task';

const runnerOf = (job: JobRow) => ({
  userId: job.runnerId ?? 'runner',
  username: 'runner',
  source: 'runner' as const,
});

/** The per-host outcomes of a report, as the contract reads them; anything else is dropped. */
function hostResults(report: CompleteReport, hostIds: string[]): InstallHostResult[] {
  const raw = report.result?.hosts;
  if (!Array.isArray(raw)) {
    // A runner that reports no hosts reports them all alike.
    const status = report.status === 'succeeded' ? 'succeeded' : 'failed';
    return hostIds.map((host_id) => InstallHostResult.parse({ host_id, status }));
  }
  return raw.flatMap((h) => {
    const parsed = InstallHostResult.safeParse(h);
    return parsed.success && hostIds.includes(parsed.data.host_id) ? [parsed.data] : [];
  });
}

/** What of a completion is kept: never the admin kubeconfig, which only the handler seals. */
function scrub(report: CompleteReport): CompleteReport {
  if (!report.result || !('admin_kubeconfig' in report.result)) return report;
  const { admin_kubeconfig: _sealedElsewhere, ...result } = report.result;
  return { ...report, result: { ...result, admin_kubeconfig: '***' } };
}

const STEP_ACTIONS = {
  running: 'environment.install_step_started',
  succeeded: 'environment.install_step_succeeded',
  skipped: 'environment.install_step_succeeded',
  failed: 'environment.install_step_failed',
} as const;

/** What the runner's claim, steps and completion do to the install task. */
export const installJob: JobKindHandler = {
  definition: environmentInstallKind,
  async lockFor(tx, job) {
    await lockTask(tx, job.resourceId);
  },
  async workOrder(job, { db, host }) {
    const install = InstallPayload.parse(job.payload);
    const task = await findTask(db, install.task_id);
    if (!task) throw new Error(`install task ${install.task_id} is gone`);
    // The manifest entry as checked when the task was asked for (and approved): what runs.
    return {
      kind: 'environment_install',
      install,
      bundle: BundleEntry.parse(task.bundle),
      hosts: await Promise.all(install.host_ids.map(host)),
    };
  },
  async onClaimed(tx, job, clock) {
    const t = await findTask(tx, job.resourceId);
    // A cancelled task's job must not run, even if a claim reached it before it was ended.
    if (!t || t.status === 'cancelled') return false;
    if (t.status === 'queued' && t.jobId === job.id)
      await transition(tx, clock, t, 'running', runnerOf(job), {}, { job_id: job.id });
    return true;
  },
  scrub,
  async onStep(tx: Db, job, step: StepReport, clock: Clock) {
    const { step: name, hostId } = parseStepName(step.name);
    await recordEvent(tx, clock, {
      action: STEP_ACTIONS[step.status],
      resourceType: 'environment',
      resourceId: job.environmentId ?? String(job.payload.environment_id),
      projectId: job.projectId,
      environmentId: job.environmentId,
      actor: runnerOf(job),
      status: step.status,
      detail: {
        task_id: job.resourceId,
        job_id: job.id,
        host_id: step.host_id ?? hostId,
        step: name,
        attempt: step.attempt,
        ...(step.status === 'skipped' ? { skipped: true } : {}),
        ...(step.status === 'failed' ? { error_code: step.error_code ?? null } : {}),
      },
    });
  },
  async onCompleted(tx, job, report, clock, env) {
    const t = await findTask(tx, job.resourceId);
    // A job of an earlier attempt (or of a task that moved on) changes nothing.
    if (!t || t.jobId !== job.id || (t.status !== 'running' && t.status !== 'queued')) return;
    const actor = runnerOf(job);
    const hosts = hostResults(report, t.hostIds);
    await keepFingerprints(tx, clock, t, job, hosts);
    const result = {
      hosts,
      error_code: report.status === 'failed' ? (report.error_code ?? 'APPLY_FAILED') : null,
    };
    if (report.status === 'failed') {
      await transition(
        tx,
        clock,
        t,
        'failed',
        actor,
        { result },
        { job_id: job.id, error_code: result.error_code },
      );
      return;
    }
    const done = await transition(tx, clock, t, 'succeeded', actor, { result }, { job_id: job.id });
    if (t.action === 'install') {
      const ok = hosts.filter((h) => h.status === 'succeeded').map((h) => h.host_id);
      const ctx = { db: tx, clock, actor };
      const registered = await registerInstall(tx, ctx, done, ok, report, env?.keys);
      await setRegistered(tx, t.id, registered);
      await taskEvent(tx, clock, done, 'install_task.registered', actor, { registered });
    }
    if (t.action === 'uninstall' || t.action === 'rollback')
      await retireRegistrations(tx, clock, done, actor);
    if (t.action === 'install') await queueVipTask(tx, clock, done, actor);
    if (t.action === 'cert_renew') {
      const registered = await sealRenewed(tx, clock, done, report, env?.keys, actor);
      await setRegistered(tx, t.id, registered);
      await taskEvent(tx, clock, done, 'install_task.registered', actor, { registered });
    }
    if (t.action === 'rollback' && t.rollbackOf) {
      const original = await lockTask(tx, t.rollbackOf);
      if (original && (original.status === 'succeeded' || original.status === 'failed'))
        await transition(tx, clock, original, 'rolled_back', actor, {}, { rollback_task_id: t.id });
    }
  },
};
