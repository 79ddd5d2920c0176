import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { renderTemplate } from '../shared/releases/render';
import { type ComposeLab, startComposeLab } from '../test/peers/compose-lab';
import { projectImages } from '../test/peers/docker';
import type { SshPeer } from '../test/peers/sshd';
import { machine } from './machine';
import { type BenchPlatform, startBenchPlatform } from './platform';
import { alternate, comparison, type Sample, timedRelease } from './release-timing';
import { fmt, median } from './stats';

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

export async function releaseBench(opts: ReleaseOptions): Promise<string> {
  const where = machine();
  const started = new Date().toISOString();
  const dirs: string[] = [];
  let lab: ComposeLab | undefined;
  let platform: BenchPlatform | undefined;
  try {
    // SHLVL=1: bash would otherwise source ~/.bashrc before every command (see the hosts bench).
    lab = await startComposeLab({ tags: ['v1'], sshEnv: { SHLVL: '1' } });
    const { engine, registry, sshd } = lab;
    const keyDir = mkdtempSync(join(tmpdir(), 'k8sm-bench-release-'));
    dirs.push(keyDir);
    const keyFile = join(keyDir, 'id');
    writeFileSync(keyFile, sshd.privateKey, { mode: 0o600 });

    platform = await startBenchPlatform('release');
    const { api, project, pool } = platform;
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
    const { target, service } = await platform.webService(
      { runtime_type: 'compose', host_ids: [host.json.id], compose_project: projectName },
      { compose_file: COMPOSE },
    );
    const runner = await platform.startRunner('bench');

    let round = 0;
    const ours = () => {
      round += 1;
      return timedRelease(api, runner, {
        service,
        target,
        variables: { REGISTRY: registry.address, ROUND: String(round) },
        timeoutMs: 180_000,
      });
    };

    const bareDir = 'bare';
    const remoteFile = `${bareDir}/docker-compose.yml`;
    const bareProject = `benchbare-${process.pid}`;
    // The host is this machine: its sessions start in the peer's HOME, which SetEnv names.
    const home = await sshHome(keyFile, sshd);
    mkdirSync(join(home, bareDir), { recursive: true });
    const bare = async () => {
      round += 1;
      writeFileSync(join(home, remoteFile), rendered(registry.address, String(round)));
      const t0 = performance.now();
      await ssh(keyFile, sshd, ['docker-compose', '-p', bareProject, '-f', remoteFile, 'up', '-d']);
      return { ms: performance.now() - t0 };
    };

    const { bareRuns, oursRuns } = await alternate(opts, bare, ours);
    const images = await projectImages(engine.host, projectName);
    if (images.length !== 1) throw new Error(`the release left ${images.join(', ') || 'no containers'}`);

    const report = comparison('bare `ssh host docker-compose up -d`', AIM, bareRuns, oursRuns);
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

${report.markdown}
Findings:

${findings(oursRuns, report.bare, report.ours)
  .map((f) => `- ${f}`)
  .join('\n')}
`;
  } finally {
    await platform?.stop();
    await lab?.stop().catch(() => {});
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
