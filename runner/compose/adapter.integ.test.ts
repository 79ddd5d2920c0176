/**
 * Releases through the compose adapter against a real Docker engine and registry, with
 * docker-compose v1 run by a local shell (the end-to-end suite runs the same adapter over SSH).
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderTemplate } from '../../shared/releases/render';
import { type DockerEngine, dockerEnv, projectImages, startDockerEngine } from '../../test/peers/docker';
import { pushBusyboxImage } from '../../test/peers/images';
import { localShell } from '../../test/peers/local-shell';
import { must } from '../../test/peers/proc';
import { type RegistryPeer, startRegistry } from '../../test/peers/registry';
import { peerAvailable } from '../../test/peers/require';
import {
  composeFile,
  connector,
  finalSteps,
  host,
  hostId,
  OBSERVED_KEY,
  recorder,
  webService,
  work,
} from '../../test/support/compose';
import { applyCompose } from './adapter';

const PEERS = ['dockerd', 'docker', 'docker-compose', 'docker-registry', 'busybox'];
const SECRET = 'app-token-Zq8v1Lw3Xe';

// Each docker-compose v1 command starts a Python interpreter: about a second, more on a busy machine.
describe.runIf(peerAvailable(PEERS))('compose releases on a real engine', { timeout: 180_000 }, () => {
  let engine: DockerEngine;
  let registry: RegistryPeer;
  let home: string;
  let v1: string;
  let v2: string;
  const H = hostId(1);

  beforeAll(async () => {
    [engine, registry] = await Promise.all([startDockerEngine(), startRegistry()]);
    [v1, v2] = (await pushBusyboxImage(engine.host, registry.address, 'shop/web', ['v1', 'v2'])) as [
      string,
      string,
    ];
    home = mkdtempSync(join(tmpdir(), 'compose-home-'));
  }, 120_000);

  afterAll(async () => {
    await Promise.all([engine?.stop(), registry?.stop()]);
    if (home) rmSync(home, { recursive: true, force: true });
  });

  const release = async (project: string, image: string, attempt = 1) => {
    const { ctx, reports } = recorder(attempt);
    const { connect, calls } = connector({ [H]: localShell(home, dockerEnv(engine.host)) });
    const rendered = composeFile({ web: webService(image, { APP_TOKEN: SECRET }) });
    const report = await applyCompose(work(project, rendered, [host(H)], [SECRET]), ctx, connect, {
      pollMs: 250,
    });
    return { report, reports, calls, rendered };
  };

  const containerIds = async (project: string) =>
    (
      await must(['docker', 'ps', '-q', '--filter', `label=com.docker.compose.project=${project}`], {
        env: { ...process.env, ...dockerEnv(engine.host) },
      })
    ).trim();

  it('releases v1, upgrades to v2 and rolls back to v1, each time running the image asked for', async () => {
    const project = 'shop-web_1';
    const first = await release(project, v1);
    expect(first.report).toMatchObject({
      status: 'succeeded',
      result: { hosts: [{ host_id: H, compose: 'v1' }] },
    });
    expect(await projectImages(engine.host, project)).toEqual([v1]);
    const before = await containerIds(project);

    const upgrade = await release(project, v2);
    expect(upgrade.report.status).toBe('succeeded');
    expect(await projectImages(engine.host, project)).toEqual([v2]);
    expect(await containerIds(project)).not.toBe(before);

    // A rollback is a release of the earlier revision's file.
    const rollback = await release(project, v1);
    expect(rollback.report.status).toBe('succeeded');
    expect(await projectImages(engine.host, project)).toEqual([v1]);
    const diag = rollback.report.diagnostics as any;
    expect(diag.hosts[0].services).toEqual([
      expect.objectContaining({ name: 'web', image: v1, state: 'running', health: 'healthy', exit_code: 0 }),
    ]);
    expect(diag.hosts[0].logs_tail).toContain('tag=v1');
  });

  it('reports each step once per host under a stable name, and the host key it saw', async () => {
    const { report, reports, calls, rendered } = await release('steps', v1);
    expect(report.status).toBe('succeeded');
    expect(calls).toEqual([H]);
    // No `compose.config` of its own: a rolling release's `up` reads and checks the file first.
    const names = ['ssh.connect', 'compose.detect', 'compose.upload', 'compose.pull'];
    const expected = [...names, 'compose.up', 'compose.wait'].map((s) => `${s}.${H}`);
    expect(finalSteps(reports)).toEqual(expected.map((name) => ({ name, status: 'succeeded', host_id: H })));
    expect(reports.every((r) => r.host_id === H && r.attempt === 1)).toBe(true);
    const connected = reports.find((r) => r.name === `ssh.connect.${H}` && r.status === 'succeeded');
    expect(connected?.observed_host_key).toBe(OBSERVED_KEY);
    expect(reports.find((r) => r.name === `compose.detect.${H}` && r.status === 'succeeded')?.output).toMatch(
      /docker-compose version 1\./,
    );

    // The file is where the next release and an operator will look, readable by its owner only.
    const path = join(home, '.k8s-manage/compose/steps/docker-compose.yml');
    expect(readFileSync(path, 'utf8')).toBe(rendered);
    expect(statSync(path).mode & 0o777).toBe(0o600);

    // A retry of the job reports under the same names, with its own attempt.
    const retry = await release('steps', v1, 2);
    expect(finalSteps(retry.reports).map((s) => s.name)).toEqual(expected);
    expect(retry.reports.every((r) => r.attempt === 2)).toBe(true);
    // The host's compose was asked once for the runner's life: the retry reports what it answered.
    const detect = retry.reports.find((r) => r.name === `compose.detect.${H}` && r.status === 'succeeded');
    expect(detect).toMatchObject({ detail: { compose: 'v1', remembered: true } });
    expect(detect?.output).toMatch(/docker-compose version 1\./);
    // The pull went through the docker CLI, image by image.
    const pull = retry.reports.find((r) => r.name === `compose.pull.${H}` && r.status === 'succeeded');
    expect(pull).toMatchObject({ output: v1, detail: { images: 1 } });
  });

  const docker = (args: string[]) =>
    must(['docker', ...args], { env: { ...process.env, ...dockerEnv(engine.host) } }).then((o) => o.trim());

  it('recreate removes the old container before the new one is created, keeping the volumes', async () => {
    const project = 'recreate';
    const withVolume = (image: string) =>
      `${composeFile({ web: webService(image) }).replace(
        '    init: true\n',
        '    init: true\n    volumes: ["data:/data"]\n',
      )}volumes:\n  data: {}\n`;
    const { ctx: c1 } = recorder();
    const { connect: k1 } = connector({ [H]: localShell(home, dockerEnv(engine.host)) });
    expect(
      (await applyCompose(work(project, withVolume(v1), [host(H)]), c1, k1, { pollMs: 250 })).status,
    ).toBe('succeeded');
    const old = await containerIds(project);
    await docker(['exec', old, 'sh', '-c', 'echo kept > /data/marker']);
    const since = await docker(['info', '--format', '{{.SystemTime}}']);

    const { ctx, reports } = recorder();
    const { connect } = connector({ [H]: localShell(home, dockerEnv(engine.host)) });
    const recreate = { ...work(project, withVolume(v2), [host(H)]) };
    recreate.release = { ...recreate.release, strategy: 'recreate' };
    const report = await applyCompose(recreate, ctx, connect, { pollMs: 250 });
    expect(report.status).toBe('succeeded');
    const steps = finalSteps(reports).map((s) => s.name.split('.').slice(0, 2).join('.'));
    expect(steps.slice(4)).toEqual(['compose.pull', 'compose.down', 'compose.up', 'compose.wait']);

    const now = await containerIds(project);
    expect(now).not.toBe(old);
    expect(await projectImages(engine.host, project)).toEqual([v2]);
    // The engine's own record: the old container was destroyed before the new one was created.
    const events = (
      await docker([
        'events',
        '--since',
        since,
        '--until',
        await docker(['info', '--format', '{{.SystemTime}}']),
        '--filter',
        'type=container',
        '--filter',
        `label=com.docker.compose.project=${project}`,
        '--format',
        '{{.Action}} {{.Actor.ID}}',
      ])
    ).split('\n');
    const at = (action: string, id: string) => events.findIndex((e) => e.startsWith(`${action} ${id}`));
    expect(at('destroy', old)).toBeGreaterThanOrEqual(0);
    expect(at('create', now)).toBeGreaterThan(at('destroy', old));
    expect(await docker(['exec', now, 'cat', '/data/marker'])).toBe('kept');
  });

  it('hands the container a value with $ exactly as given, escaped by the render', async () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the placeholder the render fills
    const template = composeFile({ web: webService(v1, { PW: '${PW}' }) });
    const rendered = renderTemplate(template, { PW: 'pa$word' }, { compose: true });
    if (!rendered.ok) throw new Error(JSON.stringify(rendered.fields));
    const { ctx } = recorder();
    const { connect } = connector({ [H]: localShell(home, dockerEnv(engine.host)) });
    const report = await applyCompose(work('dollar', rendered.text, [host(H)], ['pa$word']), ctx, connect, {
      pollMs: 250,
    });
    expect(report.status).toBe('succeeded');
    const env = await docker(['inspect', '--format', '{{json .Config.Env}}', await containerIds('dollar')]);
    expect(JSON.parse(env)).toContain('PW=pa$word');
  });

  it('never sends a secret back, though the container prints it', async () => {
    const { report, reports } = await release('secrets', v2);
    expect(report.status).toBe('succeeded');
    const diag = report.diagnostics as any;
    // The value really was there to leak: the container printed it, masked on the way out.
    expect(diag.hosts[0].logs_tail).toContain('token=***');
    const sent = JSON.stringify([report, reports]);
    expect(sent).not.toContain(SECRET);
    expect(sent).not.toContain(SECRET.slice(4, 14));
  });
});
