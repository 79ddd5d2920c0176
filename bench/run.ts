import { resolve } from 'node:path';
import { aiBench } from './ai';
import { auditAppend } from './audit-append';
import { claimBench } from './claim';
import { coldStart } from './cold-start';
import { credentialsThroughput } from './credentials';
import { governance } from './governance';
import { hostsBench } from './hosts';
import { jobsBench } from './jobs';
import { loginTiming } from './login';
import { meThroughput } from './me';
import { releaseBench } from './release';
import { writeSection } from './results';
import { sftpBench } from './sftp';
import { webBench } from './web';
import { webCompare } from './web-compare';

const RESULTS = resolve(import.meta.dirname, 'RESULTS.md');

/** Every loop is bounded by these counts; nothing leaves loopback. */
const BENCHES: Record<string, (quick: boolean) => Promise<string>> = {
  'cold-start': (quick) => coldStart(quick ? { runs: 2, warmup: 0 } : { runs: 15, warmup: 2 }),
  me: (quick) =>
    meThroughput(
      quick ? { batches: 2, batchSize: 20, warmup: 20 } : { batches: 20, batchSize: 100, warmup: 300 },
    ),
  // Full: 100k releases and 1M audit events on each backend (PGlite seeds them in ≈ 2–3 min).
  governance: (quick) =>
    governance(
      quick
        ? {
            shapes: { postgres: { projects: 10, releases: 2000 }, pglite: { projects: 10, releases: 2000 } },
            samples: 20,
            warmup: 5,
          }
        : {
            shapes: {
              postgres: { projects: 10, releases: 100_000 },
              pglite: { projects: 10, releases: 100_000 },
            },
            samples: 2000,
            warmup: 100,
          },
    ),
  credentials: (quick) =>
    credentialsThroughput(
      quick ? { batches: 2, batchSize: 10, warmup: 10 } : { batches: 20, batchSize: 50, warmup: 100 },
    ),
  claim: (quick) =>
    claimBench(
      quick
        ? { samples: 10, warmup: 2, rounds: 1, jobs: 8 }
        : { samples: 200, warmup: 20, rounds: 10, jobs: 60 },
    ),
  audit: (quick) => auditAppend(quick ? { perRound: 20, rounds: 2 } : { perRound: 200, rounds: 6 }),
  // Full: 100k jobs on each backend; 300 samples keep a run within minutes on a loaded machine.
  jobs: (quick) =>
    jobsBench(
      quick
        ? { jobs: 2000, queuedEvery: 10, samples: 20, warmup: 5 }
        : { jobs: 100_000, queuedEvery: 10, samples: 300, warmup: 30 },
    ),
  login: (quick) =>
    loginTiming(quick ? { batches: 2, batchSize: 2, warmup: 1 } : { batches: 20, batchSize: 5, warmup: 5 }),
  sftp: (quick) =>
    sftpBench(quick ? { sizeMiB: 8, runs: 1, warmup: 0 } : { sizeMiB: 100, runs: 3, warmup: 1 }),
  hosts: (quick) =>
    hostsBench(
      quick
        ? { hosts: 3, rounds: 1, warmup: 0, fileKiB: 64 }
        : { hosts: 20, rounds: 11, warmup: 1, fileKiB: 64 },
    ),
  ai: (quick) => aiBench(quick ? { rounds: 50, warmup: 5 } : { rounds: 2000, warmup: 100 }),
  release: (quick) => releaseBench(quick ? { runs: 1, warmup: 1 } : { runs: 5, warmup: 1 }),
  web: (quick) =>
    webBench(quick ? { runs: 2, warmup: 0, services: 3 } : { runs: 30, warmup: 3, services: 20 }),
  // Not in the default run: it needs another build of the SPA to compare with.
  'web-compare': (quick) => {
    const before = process.env.K8SM_BENCH_WEB_BEFORE;
    if (!before) throw new Error('web-compare needs K8SM_BENCH_WEB_BEFORE=<folder of an earlier SPA build>');
    return webCompare({
      before,
      ...(quick ? { runs: 2, warmup: 0, services: 3 } : { runs: 30, warmup: 3, services: 20 }),
    });
  },
};

/** `npm run bench [-- <name>...] [--quick]`; --quick checks the benches run and writes no results. */
async function main() {
  const args = process.argv.slice(2);
  const quick = args.includes('--quick');
  const asked = args.filter((a) => a !== '--quick');
  const unknown = asked.filter((a) => !(a in BENCHES));
  if (unknown.length) {
    console.error(`unknown bench: ${unknown.join(', ')}; choose from ${Object.keys(BENCHES).join(', ')}`);
    process.exit(2);
  }
  for (const name of asked.length ? asked : Object.keys(BENCHES).filter((n) => n !== 'web-compare')) {
    console.error(`running ${name}${quick ? ' (quick, results not written)' : ''}…`);
    const section = await BENCHES[name]!(quick);
    if (!quick) await writeSection(RESULTS, name, section);
    process.stdout.write(`${section}\n`);
  }
  if (!quick) console.error(`results written to ${RESULTS}`);
}

main().catch((e: Error) => {
  console.error(`bench failed: ${e.stack ?? e.message}`);
  process.exit(1);
});
