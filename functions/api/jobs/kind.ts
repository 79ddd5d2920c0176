import type { ClusterAccess, HostAccess } from '../../../shared/jobs/claim';
import type { JobKindDefinition } from '../../../shared/jobs/define';
import type { CompleteReport, StepReport } from '../../../shared/jobs/kinds';
import type { Clock } from '../../platform/clock';
import type { Db } from '../../platform/db/types';
import type { KeyProvider } from '../../platform/keys/types';
import type { JobRow } from './repo';

/** What completion hooks may need beyond the database: the keys to seal what a job returned. */
export type JobEnv = { keys?: KeyProvider };

/** What building a work order may use: the database, and access to hosts and clusters, secrets opened. */
export type WorkOrderCtx = {
  db: Db;
  keys: KeyProvider;
  host(id: string): Promise<HostAccess>;
  cluster(id: string): Promise<ClusterAccess>;
};

/**
 * The platform's side of a job kind, exported by the domain that owns the job's resource: what a
 * claim, a step and a completion do to that resource, and what the claiming runner receives.
 * The app's list of them is built once at the composition root and reaches services by `Deps`.
 */
export type JobKindHandler = {
  definition: JobKindDefinition;
  /** Locks the rows the hooks will change, before any audit event takes the chain's lock. */
  lockFor?(tx: Db, job: JobRow): Promise<void>;
  /** False: the job must not run after all (say, its release went stale); it is failed instead. */
  onClaimed?(tx: Db, job: JobRow, clock: Clock): Promise<boolean>;
  /** The work order sealed to the claiming runner, secrets included. */
  workOrder(job: JobRow, ctx: WorkOrderCtx): Promise<{ kind: string }>;
  /** The hosts a step may pin a key for, when the payload alone does not say (`definition.hostsOf`). */
  hostsOf?(tx: Db, job: JobRow): Promise<string[]>;
  /** A step was recorded (a repeated report is not: it changed nothing). */
  onStep?(tx: Db, job: JobRow, step: StepReport, clock: Clock): Promise<void>;
  /**
   * What of a completion may be stored (the job's result, its events): a report can carry a secret
   * that only its handler may keep, sealed (an install's admin kubeconfig). The platform then masks
   * the job's own secrets in what is stored; `onCompleted` gets that masked report, except the
   * result fields `scrub` replaced, which it gets as sent.
   */
  scrub?(report: CompleteReport): CompleteReport;
  onCompleted?(tx: Db, job: JobRow, report: CompleteReport, clock: Clock, env?: JobEnv): Promise<void>;
};

export type JobKinds = readonly JobKindHandler[];

export const kindOf = (kinds: JobKinds, kind: string) => kinds.find((k) => k.definition.kind === kind);

/** The hosts a job runs on: its handler's reading, or its definition's from the payload. */
export async function hostsOfJob(kinds: JobKinds, tx: Db, job: JobRow): Promise<string[]> {
  const k = kindOf(kinds, job.kind);
  if (!k) return [];
  if (k.hostsOf) return k.hostsOf(tx, job);
  const payload = k.definition.payload.safeParse(job.payload);
  return payload.success ? (k.definition.hostsOf?.(payload.data) ?? []) : [];
}
