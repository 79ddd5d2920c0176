/** One thing to time: `run(n)` does n sequential operations. */
export type Task = { name: string; run: (n: number) => Promise<void> };

/**
 * Times tasks in small alternating batches instead of one long block each, so that load from other
 * processes on a shared machine lands on every task alike. Returns µs per operation for each batch.
 */
export async function interleave(
  tasks: Task[],
  opts: { batches: number; batchSize: number; warmup: number },
): Promise<Map<string, number[]>> {
  for (const t of tasks) await t.run(opts.warmup);
  const out = new Map<string, number[]>(tasks.map((t) => [t.name, []]));
  for (let b = 0; b < opts.batches; b++) {
    // Rotate the order so no task always follows the same neighbour (GC debt, caches).
    for (let j = 0; j < tasks.length; j++) {
      const t = tasks[(b + j) % tasks.length]!;
      const started = performance.now();
      await t.run(opts.batchSize);
      out.get(t.name)!.push(((performance.now() - started) / opts.batchSize) * 1000);
    }
  }
  return out;
}
