import type {
  InstallLogEntry,
  InstallStepView,
  InstallTask,
  InstallTaskDetail,
} from '../../../shared/contracts/installs';
import { CERT_RENEW_STEPS, INSTALL_STEPS, VIP_TASK_STEPS } from '../../../shared/install/work';
import type { StepRow } from '../jobs/repo';
import type { InstallTaskRow } from './repo';

const LOG_EXCERPT_CHARS = 500;
const iso = (d: Date | null) => d?.toISOString() ?? null;

export const toTask = (t: InstallTaskRow): InstallTask => ({
  id: t.id,
  task_id: t.id,
  project_id: t.projectId,
  environment_id: t.environmentId,
  action: t.action,
  runtime: t.runtime,
  version: t.version,
  host_ids: t.hostIds,
  options: t.options,
  status: t.status,
  approval_ticket: t.approvalTicketId,
  job_id: t.jobId,
  rollback_of: t.rollbackOf,
  follows: t.follows,
  result: t.result,
  registered: t.registered,
  created_by: t.createdBy,
  created_at: t.createdAt.toISOString(),
  updated_at: t.updatedAt.toISOString(),
  finished_at: iso(t.finishedAt),
});

/**
 * `install.<step>.<host_id>` (uninstall and rollback steps have their own first part). Host ids
 * hold no dot, so the last part is the host; a name without one belongs to no host.
 */
export function parseStepName(name: string): { step: string; hostId: string | null } {
  const parts = name.split('.');
  if (parts.length < 3) return { step: parts.at(-1) ?? name, hostId: null };
  return { step: parts.slice(1, -1).join('.'), hostId: parts.at(-1)! };
}

const FINISHED = new Set(['succeeded', 'skipped']);

/**
 * Steps per host, each as its newest run across the task's jobs. `attempt` counts the runs of that
 * step so far, so after a retry the step that failed shows attempt 2 (and the steps the runner
 * skipped because the host's markers say they were done show as skipped).
 */
export function taskDetail(t: InstallTaskRow, steps: StepRow[]): InstallTaskDetail {
  const base: readonly string[] =
    t.action === 'vip' ? VIP_TASK_STEPS : t.action === 'cert_renew' ? CERT_RENEW_STEPS : INSTALL_STEPS;
  const runs = new Map<string, StepRow[]>();
  const extra = new Map<string, string[]>();
  for (const s of steps) {
    const { step, hostId } = parseStepName(s.name);
    if (!hostId) continue;
    const key = `${hostId}\u0000${step}`;
    if (!runs.has(key)) {
      runs.set(key, []);
      if (!base.includes(step)) extra.set(hostId, [...(extra.get(hostId) ?? []), step]);
    }
    runs.get(key)!.push(s);
  }
  let finished = 0;
  const perHost = t.hostIds.map((hostId) => ({
    host_id: hostId,
    steps: [...base, ...(extra.get(hostId) ?? [])].map((step): InstallStepView => {
      const all = runs.get(`${hostId}\u0000${step}`) ?? [];
      const last = all.at(-1);
      if (last && FINISHED.has(last.status) && base.includes(step)) finished += 1;
      return {
        name: step,
        status: last?.status ?? 'pending',
        attempt: all.length,
        started_at: iso(last?.startedAt ?? null),
        finished_at: iso(last?.finishedAt ?? null),
        error_code: last?.errorCode ?? null,
        log_excerpt: last?.output ? last.output.slice(-LOG_EXCERPT_CHARS) : null,
      };
    }),
  }));
  const current = currentStep(t, steps);
  const total = t.hostIds.length * base.length;
  const progress =
    t.status === 'succeeded' || t.status === 'rolled_back'
      ? 100
      : Math.min(99, Math.floor((finished * 100) / Math.max(total, 1)));
  return { ...toTask(t), steps: perHost, current_step: current, progress_percent: progress };
}

/** The step of the current job that runs now, else the one that failed it. */
function currentStep(t: InstallTaskRow, steps: StepRow[]): string | null {
  const ofJob = steps.filter((s) => s.jobId === t.jobId);
  return (
    ofJob.findLast((s) => s.status === 'running')?.name ??
    ofJob.findLast((s) => s.status === 'failed')?.name ??
    null
  );
}

export const toLogEntry = (s: StepRow, seq: number | null = null): InstallLogEntry => {
  const { step, hostId } = parseStepName(s.name);
  return {
    id: s.id,
    job_id: s.jobId,
    host_id: hostId,
    step,
    name: s.name,
    attempt: s.attempt,
    status: s.status,
    started_at: iso(s.startedAt),
    finished_at: iso(s.finishedAt),
    error_code: s.errorCode,
    output: s.output,
    seq,
  };
};
