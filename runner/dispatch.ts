import type { WorkOrder } from '../shared/jobs/claim';
import type { JobKindDefinition } from '../shared/jobs/define';
import type { CompleteReport } from '../shared/jobs/kinds';
import type { RunnerJobKind, RunOptions } from './jobs/kind';
import type { RunContext } from './jobs/steps';

/**
 * What runs a work order. The loop takes it as a parameter, so the loop can be exercised without
 * SSH, Docker or a cluster; the CLI passes `executorOf(RUNNER_JOB_KINDS)`. `kinds` are the work
 * orders it can open; unset, every kind the shared list defines.
 */
export type Executor = ((work: WorkOrder, ctx: RunContext) => Promise<CompleteReport>) & {
  kinds?: readonly JobKindDefinition[];
};

/** Runs each work order by its kind's entry in `kinds`. */
export function executorOf(kinds: readonly RunnerJobKind[], opts: RunOptions = {}): Executor {
  const byKind = new Map(kinds.map((k) => [k.definition.kind, k]));
  const run = async (work: WorkOrder, ctx: RunContext) => {
    const kind = byKind.get(work.kind);
    if (!kind) throw new Error(`this runner does not run jobs of kind ${work.kind}`);
    return kind.run(work, ctx, opts);
  };
  return Object.assign(run, { kinds: kinds.map((k) => k.definition) });
}
