/**
 * How compose releases fail, on real engines: what the step reports and the diagnostics say, and
 * that a failure stops the release before the next host. Two engines stand for two hosts.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
  recorder,
  type ServiceSpec,
  webService,
  work,
} from '../../test/support/compose';
import { StepError } from '../jobs/steps';
import { applyCompose, type ComposeConnect } from './adapter';

const PEERS = ['dockerd', 'docker', 'docker-compose', 'docker-registry', 'busybox'];
const SECRET = 'db-password-Vt7Qm2Hk9';
const H1 = hostId(1);
const H2 = hostId(2);

// Each docker-compose v1 command starts a Python interpreter: about a second, more on a busy machine.
describe.runIf(peerAvailable(PEERS))('compose release failures', { timeout: 120_000 }, () => {
  let engines: [DockerEngine, DockerEngine];
  let registry: RegistryPeer;
  let homes: [string, string];
  let image: string;

  beforeAll(async () => {
    const started = await Promise.all([startDockerEngine(), startDockerEngine(), startRegistry()]);
    engines = [started[0], started[1]];
    registry = started[2];
    [image] = (await pushBusyboxImage(engines[0].host, registry.address, 'shop/api', ['v1'])) as [string];
    homes = [mkdtempSync(join(tmpdir(), 'compose-h1-')), mkdtempSync(join(tmpdir(), 'compose-h2-'))];
  }, 120_000);

  afterAll(async () => {
    await Promise.all([engines?.[0]?.stop(), engines?.[1]?.stop(), registry?.stop()]);
    for (const h of homes ?? []) rmSync(h, { recursive: true, force: true });
  });

  const shells = () => ({
    [H1]: localShell(homes[0], dockerEnv(engines[0].host)),
    [H2]: localShell(homes[1], dockerEnv(engines[1].host)),
  });

  const docker = (args: string[]) =>
    must(['docker', ...args], { env: { ...process.env, ...dockerEnv(engines[0].host) } }).then((o) =>
      o.trim(),
    );

  /** Each container of the project with its image, state and start: a change shows in one of them. */
  const containers = async (project: string) => {
    const ids = await docker(['ps', '-aq', '--filter', `label=com.docker.compose.project=${project}`]);
    if (!ids) return [];
    const format = '{{.Id}} {{.Config.Image}} {{.State.Status}} {{.State.StartedAt}}';
    return (await docker(['inspect', '--format', format, ...ids.split('\n')])).split('\n');
  };

  const release = async (
    project: string,
    services: Record<string, ServiceSpec>,
    opts: { hosts?: string[]; connect?: ComposeConnect; waitTimeoutMs?: number } = {},
  ) => {
    const { ctx, reports } = recorder();
    const c = connector(shells());
    const hosts = (opts.hosts ?? [H1]).map(host);
    const w = work(project, composeFile(services), hosts, [SECRET]);
    const report = await applyCompose(w, ctx, opts.connect ?? c.connect, {
      pollMs: 250,
      waitTimeoutMs: opts.waitTimeoutMs ?? 20_000,
    });
    const sent = JSON.stringify([report, reports]);
    expect(sent).not.toContain(SECRET);
    return { report, reports, calls: c.calls, diag: (report.diagnostics as any).hosts as any[] };
  };

  it('a tag never pushed fails at compose.pull with the registry’s answer', async () => {
    const { report, reports, diag } = await release('badtag', { api: { image: `${image}-missing` } });
    expect(report).toMatchObject({ status: 'failed', error_code: 'IMAGE_PULL_FAILED' });
    expect(diag[0]).toMatchObject({ host_id: H1, compose: 'v1', failed_step: 'compose.pull', exit_code: 1 });
    // The docker CLI pulls what the file names, one image per command: the one that failed is named.
    expect(diag[0].failed_command).toBe(`docker pull -q ${image}-missing`);
    expect(diag[0].stderr_tail).toContain('manifest unknown');
    const pull = reports.find((r) => r.name === `compose.pull.${H1}` && r.status === 'failed');
    expect(pull).toMatchObject({ error_code: 'IMAGE_PULL_FAILED', host_id: H1 });
    expect(pull?.output).toContain('manifest unknown');
    expect(finalSteps(reports).map((s) => s.name)).not.toContain(`compose.up.${H1}`);

    // A failed release forgets the host's compose: the next one asks it again.
    const next = await release('badtag', { api: { image } });
    expect(next.report.status).toBe('succeeded');
    const detect = next.reports.find((r) => r.name === `compose.detect.${H1}` && r.status === 'succeeded');
    expect(detect?.detail).toEqual({ compose: 'v1' });
  });

  it('an invalid file fails at compose.config and changes nothing the host runs, on either strategy', async () => {
    const project = 'invalid';
    expect((await release(project, { web: webService(image) })).report.status).toBe('succeeded');
    const running = await containers(project);
    expect(running).toHaveLength(1);
    // Valid YAML whose image the adapter reads, so the pull runs: only compose knows the key is wrong.
    const invalid = composeFile({ web: webService(image) }).replace(
      '    init: true\n',
      '    init: true\n    bogus: 1\n',
    );
    for (const strategy of ['rolling', 'recreate'] as const) {
      const { ctx, reports } = recorder();
      const w = work(project, invalid, [host(H1)], [SECRET]);
      w.release = { ...w.release, strategy };
      const report = await applyCompose(w, ctx, connector(shells()).connect, { pollMs: 250 });
      expect(report).toMatchObject({ status: 'failed', error_code: 'APPLY_FAILED' });
      const diag = (report.diagnostics as any).hosts[0];
      expect(diag).toMatchObject({ failed_step: 'compose.config', exit_code: 1 });
      expect(diag.failed_command).toMatch(/^docker-compose -p invalid -f \S+ config -q$/);
      const config = reports.find((r) => r.name === `compose.config.${H1}` && r.status === 'failed');
      expect(config).toMatchObject({ error_code: 'APPLY_FAILED', host_id: H1 });
      expect(config?.output).toContain("'bogus'");
      // `down` never ran: the check came first, by a command that changes nothing.
      if (strategy === 'recreate')
        expect(finalSteps(reports).map((s) => s.name)).not.toContain(`compose.down.${H1}`);
      expect(await containers(project)).toEqual(running);
    }
  });

  it('a container that exits non-zero fails the wait at once, with its exit code and logs', async () => {
    const crash = { image, script: 'echo "boom token=$$APP_TOKEN" >&2; exit 3', env: { APP_TOKEN: SECRET } };
    const { report, reports, diag } = await release(
      'crash',
      { web: webService(image), job: crash },
      { waitTimeoutMs: 90_000 },
    );
    expect(report).toMatchObject({ status: 'failed', error_code: 'APPLY_FAILED' });
    expect(diag[0].failed_step).toBe('compose.wait');
    expect(diag[0].services).toContainEqual(
      expect.objectContaining({ name: 'job', image, state: 'exited', exit_code: 3 }),
    );
    expect(diag[0].logs_tail).toContain('boom token=***');
    const wait = reports.find((r) => r.name === `compose.wait.${H1}` && r.status === 'failed');
    expect(wait?.detail?.message).toMatch(/job .*exited, exit code 3/);
    // At once: long before the wait would have run out.
    expect(Date.parse(wait!.finished_at!) - Date.parse(wait!.started_at!)).toBeLessThan(45_000);
  });

  it('a container that stays unready past the wait is a TIMEOUT', async () => {
    const never: ServiceSpec = { image, script: 'exec sleep 3600', health: ['false'], retries: 100 };
    const { report, diag } = await release('unready', { web: never }, { waitTimeoutMs: 2_500 });
    expect(report.error_code).toBe('TIMEOUT');
    expect(diag[0].services).toEqual([expect.objectContaining({ state: 'running', health: 'starting' })]);
  });

  it('a container that exited cleanly fails the release once the wait is over', async () => {
    const { report, diag } = await release(
      'oneshot',
      { job: { image, script: 'exit 0' } },
      { waitTimeoutMs: 2_500 },
    );
    expect(report.error_code).toBe('APPLY_FAILED');
    expect(diag[0].services).toEqual([expect.objectContaining({ state: 'exited', exit_code: 0 })]);
  });

  it('releases to hosts in order, each on its own engine', async () => {
    const { report, reports, calls } = await release('both', { web: webService(image) }, { hosts: [H1, H2] });
    expect(report).toMatchObject({
      status: 'succeeded',
      result: { hosts: [{ host_id: H1 }, { host_id: H2 }] },
    });
    expect(calls).toEqual([H1, H2]);
    const hostsInOrder = finalSteps(reports).map((s) => s.host_id);
    expect(hostsInOrder.lastIndexOf(H1)).toBeLessThan(hostsInOrder.indexOf(H2));
    for (const e of engines) expect(await projectImages(e.host, 'both')).toEqual([image]);
  });

  it('stops at the first failing host: the next one is never contacted', async () => {
    const { report, reports, calls, diag } = await release(
      'stops',
      { api: { image: `${image}-missing` } },
      { hosts: [H1, H2] },
    );
    expect(report.error_code).toBe('IMAGE_PULL_FAILED');
    expect(calls).toEqual([H1]);
    expect(diag.map((d) => d.host_id)).toEqual([H1]);
    expect(reports.some((r) => r.host_id === H2)).toBe(false);
    expect(await projectImages(engines[1].host, 'stops')).toEqual([]);
  });

  it('a host without docker compose or docker-compose fails with COMPOSE_NOT_FOUND', async () => {
    const empty = join(homes[0], 'empty-bin');
    mkdirSync(empty, { recursive: true });
    const shell = localShell(homes[0], { ...dockerEnv(engines[0].host), PATH: empty });
    const connect: ComposeConnect = async () => ({ shell, observedHostKey: 'not a fingerprint' });
    const { report, reports, diag } = await release('nocompose', { web: webService(image) }, { connect });
    expect(report.error_code).toBe('COMPOSE_NOT_FOUND');
    expect(diag[0]).toMatchObject({
      host_id: H1,
      compose: null,
      failed_step: 'compose.detect',
      services: [],
    });
    expect(finalSteps(reports)).toEqual([
      { name: `ssh.connect.${H1}`, status: 'succeeded', host_id: H1 },
      { name: `compose.detect.${H1}`, status: 'failed', host_id: H1 },
    ]);
    // Only a well-formed fingerprint is passed on for pinning.
    expect(reports.some((r) => 'observed_host_key' in r)).toBe(false);
  });

  it('a failed connection keeps its code, and its message loses the host password', async () => {
    const refuse =
      (code: 'HOST_KEY_MISMATCH' | undefined): ComposeConnect =>
      async (h) => {
        const text = `refused with ${h.auth.kind === 'ssh_password' ? h.auth.password : ''}`;
        throw code ? new StepError(code, text) : new Error(text);
      };
    const mismatch = await release(
      'refused',
      { web: webService(image) },
      { connect: refuse('HOST_KEY_MISMATCH') },
    );
    expect(mismatch.report.error_code).toBe('HOST_KEY_MISMATCH');
    expect(mismatch.diag[0]).toMatchObject({ failed_step: 'ssh.connect', compose: null });
    const failed = mismatch.reports.find((r) => r.status === 'failed');
    expect(failed?.detail?.message).toBe('refused with ***');

    const plain = await release('refused', { web: webService(image) }, { connect: refuse(undefined) });
    expect(plain.report.error_code).toBe('SSH_CONNECT');
    expect(JSON.stringify(plain.reports)).not.toContain(`host-password-${H1}`);
  });
});
