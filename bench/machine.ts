import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';

/** What the numbers were measured on; ratios travel between machines, absolute times do not. */
export function machine(): string {
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  const gib = (totalmem() / 1024 ** 3).toFixed(1);
  // Load matters on a shared machine: other processes' work shows up as noise in every sample.
  const load = loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
  return `${availableParallelism()} CPUs (nproc), ${cpu}, ${gib} GiB RAM, Node ${process.version}, ${process.platform}/${process.arch}, load average ${load} at start`;
}
