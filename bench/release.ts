import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { renderTemplate } from '../shared/releases/render';
import type { Answer } from '../test/e2e/server-process';
import { type DockerEngine, projectImages, startDockerEngine } from '../test/peers/docker';
import { pushBusyboxImage } from '../test/peers/images';
import { type RegistryPeer, startRegistry } from '../test/peers/registry';
import { type SshPeer, startSshd } from '../test/peers/sshd';
import { machine } from './machine';
import { type BenchPlatform, startBenchPlatform } from './platform';
import { fmt, median, table } from './stats';

export type ReleaseOptions = { runs: number; warmup: number };

/** From the issue: preview → applied within this many times the bare `ssh host docker-compose up -d`. */
const AIM = 1.5;
const run = promisify(execFile);

/**
 * One service, no healthcheck: what is timed is the release's own work, not a health interval.
 * ROUND changes every run, so both paths really recreate the container each time.
 */
const COMPOSE = `services:
  web:
    image: \${REGISTRY}/web:v1
    init: true
    command: ["sh", "-c", "echo started round \${ROUND}; exec sleep 3600"]
    environment:
      ROUND: "\${ROUND}"
`;

/** The file as the platform renders it for a release, for the bare path. */
function rendered(registry: string, round: string): string {
  const r = renderTemplate(COMPOSE, { REGISTRY: registry, ROUND: round }, { compose: true });
  if (!r.ok) throw new Error(JSON.stringify(r.fields));
  return r.text;
}

type Sample = {
  ms: number;
  steps: Record<string, number>;
  tailMs: number;
  /** From the preview request to the first step's `running` event. */
  headMs: number;
  /** The preview and apply requests, until apply answered. */
  askMs: number;
  /** From `job.completed` to the poll that read `applied`. */
  seenMs: number;
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function releaseBench(opts: ReleaseOptions): Promise<string> {
  const where = machine();
  const started = new Date().toISOString();
  const dirs: string[] = [];
  let engine: DockerEngine | undefined;
  let registry: RegistryPeer | undefined;
  let sshd: SshPeer | undefined;
  let platform: BenchPlatform | undefined;
  try {
    [engine, registry] = await Promise.all([startDockerEngine(), startRegistry()]);
    await pushBusyboxImage(engine.host, registry.address, 'web', ['v1']);
    // SHLVL=1: bash would otherwise source ~/.bashrc before every command (see the hosts bench).
    sshd = await startSshd({ setEnv: { DOCKER_HOST: engine.host, SHLVL: '1' } });
    const keyDir = mkdtempSync(join(tmpdir(), 'k8sm-bench-release-'));
    dirs.push(keyDir);
    const keyFile = join(keyDir, 'id');
    writeFileSync(keyFile, sshd.privateKey, { mode: 0o600 });

    platform = await startBenchPlatform('release');
    const { api, project, pool, env } = platform;
    const cred = await api('POST', '/credentials', {
      project_id: project,
      name: 'key',
      kind: 'ssh_private_key',
      payload: { private_key: sshd.privateKey },
    });
    const host = await api('POST', '/hosts', {
      project_id: project,
      name: 'bench-1',
      address: sshd.address,
      port: sshd.port,
      username: sshd.username,
      credential_id: cred.json.id,
      runner_pool_id: pool,
    });
    const projectName = `benchrel-${process.pid}`;
    const target = (
      await api('POST', '/deploy/targets', {
        project_id: project,
        environment_id: env,
        name: 'web',
        runtime_type: 'compose',
        host_ids: [host.json.id],
        compose_project: projectName,
      })
    ).json.id;
    const service = (
      await api('POST', '/services', { project_id: project, name: 'web', compose_file: COMPOSE })
    ).json.id;
    const runner = await platform.startRunner('bench');

    let round = 0;
    const ours = async (): Promise<Sample> => {
      round += 1;
      const t0 = performance.now();
      const wall0 = Date.now();
      const pv = await api('POST', '/deploy/releases/preview', {
        service_id: service,
        target_id: target,
        variables: { REGISTRY: registry!.address, ROUND: String(round) },
      });
      const ap = await api('POST', '/deploy/releases/apply', { preview_ref: pv.json.preview_ref });
      const id = ap.json.release_id as string;
      const askMs = performance.now() - t0;
      let state = '';
      const deadline = Date.now() + 180_000;
      while (Date.now() < deadline) {
        state = (await api('GET', `/deploy/releases/${id}`)).json.lifecycle_state;
        if (state === 'applied' || state === 'failed') break;
        await sleep(25);
      }
      const ms = performance.now() - t0;
      const wallEnd = wall0 + ms;
      const r = await api('GET', `/deploy/releases/${id}`);
      if (state !== 'applied')
        throw new Error(
          `release ${id} ended ${state}: ${JSON.stringify(r.json.diagnostics_json)}\n${runner.stderr().slice(-2000)}`,
        );
      const t = await stepTimes(api, id);
      return {
        ms,
        steps: t.steps,
        tailMs: t.tailMs,
        headMs: t.first - wall0,
        askMs,
        seenMs: wallEnd - t.completed,
      };
    };

    const bareDir = 'bare';
    const remoteFile = `${bareDir}/docker-compose.yml`;
    const bareProject = `benchbare-${process.pid}`;
    // The host is this machine: its sessions start in the peer's HOME, which SetEnv names.
    const home = await sshHome(keyFile, sshd);
    mkdirSync(join(home, bareDir), { recursive: true });
    const bare = async (): Promise<Sample> => {
      round += 1;
      writeFileSync(join(home, remoteFile), rendered(registry!.address, String(round)));
      const t0 = performance.now();
      await ssh(keyFile, sshd!, ['docker-compose', '-p', bareProject, '-f', remoteFile, 'up', '-d']);
      return { ms: performance.now() - t0, steps: {}, tailMs: 0, headMs: 0, askMs: 0, seenMs: 0 };
    };

    const oursRuns: Sample[] = [];
    const bareRuns: Sample[] = [];
    for (let i = 0; i < opts.warmup; i++) {
      await bare();
      await ours();
    }
    for (let i = 0; i < opts.runs; i++) {
      // Alternating which goes first, so neither always follows the other's leftovers.
      if (i % 2) {
        oursRuns.push(await ours());
        bareRuns.push(await bare());
      } else {
        bareRuns.push(await bare());
        oursRuns.push(await ours());
      }
    }
    const images = await projectImages(engine.host, projectName);
    if (images.length !== 1) throw new Error(`the release left ${images.join(', ') || 'no containers'}`);

    const b = median(bareRuns.map((s) => s.ms));
    const o = median(oursRuns.map((s) => s.ms));
    const ratio = o / b;
    const names = [...new Set(oursRuns.flatMap((s) => Object.keys(s.steps)))];
    const med = (f: (s: Sample) => number) => fmt(median(oursRuns.map(f)), 0);
    const stepRows = [
      ['preview and apply requests (until apply answered)', med((s) => s.askMs)],
      [
        'preview request → first step started (the above, the claim, the work order opened)',
        med((s) => s.headMs),
      ],
    ];
    stepRows.push(...names.map((n) => [`\`${n}\``, fmt(median(oursRuns.map((s) => s.steps[n] ?? 0)), 0)]));
    stepRows.push(['last step finished → `job.completed` recorded', med((s) => s.tailMs)]);
    stepRows.push(['`job.completed` → `applied` read by the poll', med((s) => s.seenMs)]);
    const ms = (xs: Sample[]) => xs.map((s) => fmt(s.ms, 0)).join(', ');
    return `## A compose release, preview → applied, vs bare \`ssh host docker-compose up -d\` (\`release\`)

Measured ${started} on ${where}.
Reproduce: \`npm run bench -- release\`.

One platform (\`npm start\` on the embedded database) and one runner process (\`npm run runner\`),
both on this machine; the host is an sshd (test/peers/sshd.ts, key login, \`SHLVL=1\`) whose
sessions reach a Docker engine with docker-compose v1, the image in a local registry and already
on the engine. The file has one busybox service without a healthcheck; each run changes one
environment value, so every run recreates the container on both paths. "Ours" is the wall time from
\`POST /deploy/releases/preview\` to \`GET /deploy/releases/{id}\` answering \`applied\` (polled every
25 ms); "bare" is OpenSSH's \`ssh host docker-compose -p … -f … up -d\` of the same file, already on
the host. ${opts.warmup} untimed run(s) of each, then ${opts.runs} of each, alternating which goes first; medians.

${table(
  ['path', 'median ms', 'runs ms', 'vs bare'],
  [
    ['bare `ssh host docker-compose up -d` (baseline)', fmt(b, 0), ms(bareRuns), '1.00×'],
    ['preview → applied through the runner', fmt(o, 0), ms(oursRuns), `${fmt(ratio, 2)}×`],
  ],
)}

Aim: ≤ ${AIM}× the bare path: **${ratio <= AIM ? 'met' : 'missed'}** (${fmt(ratio, 2)}×).

Where the release's time goes (median ms; each step as the runner timed it, the rest from the
bench's clock and the platform's timeline; the three share this machine's clock):

${table(['step', 'median ms'], stepRows)}

Findings:

${findings(oursRuns, b, o)
  .map((f) => `- ${f}`)
  .join('\n')}
`;
  } finally {
    await platform?.stop();
    await Promise.allSettled([sshd?.stop(), engine?.stop(), registry?.stop()]);
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
}

/** What the numbers say, worded from this run's medians. */
function findings(ours: Sample[], bare: number, total: number): string[] {
  const step = (n: string) => median(ours.map((s) => s.steps[n] ?? 0));
  const up = step('compose.up');
  const pull = step('compose.pull');
  return [
    `\`compose.up\` (${fmt(up, 0)} ms) is the release's one docker-compose v1 start on the host, the
  same work as the bare path's one command (${fmt(bare, 0)} ms with its SSH connection). Everything
  else the release does, platform included, takes ${fmt(total - up, 0)} ms.`,
    `A rolling release has no \`compose.config\` step of its own: \`up\` reads and validates the
  whole file before it touches a container, so a separate check was a second v1 start for
  nothing. Only when a pull or \`up\` fails does the runner ask
  \`config\` whether the file was why, and then the release fails at \`compose.config\` as it did
  when the check came first. \`strategy: recreate\` (not timed here) still checks before \`down\`.`,
    `\`compose.detect\` is the remembered answer after the first release on a host (the runner asks
  the host's compose once for its life), and \`compose.pull\` (${fmt(pull, 0)} ms) collects the
  docker CLI's pulls, started as soon as the file is on the host: the engine has the image, so
  each pull only asks the registry whether the tag moved.`,
  ];
}

function sshArgs(keyFile: string, peer: SshPeer, argv: string[]): string[] {
  return [
    '-i',
    keyFile,
    '-p',
    String(peer.port),
    '-o',
    'StrictHostKeyChecking=no',
    '-o',
    'UserKnownHostsFile=/dev/null',
    '-o',
    'LogLevel=ERROR',
    '-o',
    'BatchMode=yes',
    `${peer.username}@${peer.address}`,
    ...argv,
  ];
}

async function ssh(keyFile: string, peer: SshPeer, argv: string[]): Promise<string> {
  const r = await run('ssh', sshArgs(keyFile, peer, argv), { timeout: 120_000 });
  return r.stdout;
}

async function sshHome(keyFile: string, peer: SshPeer): Promise<string> {
  return (await ssh(keyFile, peer, ['pwd'])).trim();
}

/**
 * Each step's duration as the runner timed it (its own `started_at`/`finished_at`), and from the
 * platform's timeline when the last step ended and when `job.completed` was recorded.
 */
export async function stepTimes(
  api: (m: string, p: string) => Promise<Answer>,
  id: string,
): Promise<{ steps: Record<string, number>; tailMs: number; first: number; completed: number }> {
  type Event = { action: string; occurred_at: string };
  type Step = { name: string; started_at: string | null; finished_at: string | null };
  let events: Event[] = [];
  // The completion's events can land a moment after the release reads applied.
  for (let i = 0; i < 40; i++) {
    events = (await api('GET', `/deploy/releases/${id}/timeline`)).json.items as Event[];
    if (events.some((e) => e.action === 'job.completed')) break;
    await sleep(50);
  }
  const rows = ((await api('GET', `/deploy/releases/${id}/steps`)).json.items as Step[]).filter(
    (r) => r.started_at && r.finished_at,
  );
  const steps: Record<string, number> = {};
  let between = 0;
  let prevEnd = 0;
  for (const r of rows.sort((a, b) => Date.parse(a.started_at!) - Date.parse(b.started_at!))) {
    const start = Date.parse(r.started_at!);
    const end = Date.parse(r.finished_at!);
    steps[r.name.split('.').slice(0, 2).join('.')] = end - start;
    if (prevEnd) between += Math.max(0, start - prevEnd);
    prevEnd = Math.max(prevEnd, end);
  }
  steps['between steps (runner)'] = between;
  const done = events.find((e) => e.action === 'job.completed');
  const completed = done ? Date.parse(done.occurred_at) : Number.NaN;
  const first = Math.min(...rows.map((r) => Date.parse(r.started_at!)));
  return { steps, tailMs: completed - prevEnd, first, completed };
}
