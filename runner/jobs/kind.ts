import type { z } from 'zod';
import type { JobKindDefinition } from '../../shared/jobs/define';
import type { CompleteReport } from '../../shared/jobs/kinds';
import type { RunContext } from './steps';

export type RunOptions = {
  /** Where install bundles are read from; unset: see `defaultBundleDir`. */
  bundleDir?: string;
};

/**
 * The runner's side of a job kind: its shared definition and what runs its work order. `run`
 * loads its adapters when first called (SSH and Kubernetes client libraries are heavy), so the
 * list of kinds costs nothing to import.
 */
export type RunnerJobKind = {
  definition: JobKindDefinition;
  // A method, so a kind's narrower work order still fits the list's type.
  run(work: { kind: string }, ctx: RunContext, opts: RunOptions): Promise<CompleteReport>;
};

export function runnerJob<D extends JobKindDefinition>(
  definition: D,
  run: (work: z.infer<D['work']>, ctx: RunContext, opts: RunOptions) => Promise<CompleteReport>,
): RunnerJobKind {
  return { definition, run: (work, ctx, opts) => run(work as z.infer<D['work']>, ctx, opts) };
}
