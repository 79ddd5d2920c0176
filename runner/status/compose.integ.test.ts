/**
 * A compose target's status read from a real Docker engine with docker-compose v1 (run by a local
 * shell; the end-to-end suite reads over SSH): what a release started, then what is left after one
 * container is stopped by hand, and a host that cannot be reached beside one that can.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TargetStatusResult, type TargetStatusWork, targetHealth } from '../../shared/jobs/target-status';
import { type DockerEngine, dockerEnv, startDockerEngine } from '../../test/peers/docker';
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
  webService,
  work,
} from '../../test/support/compose';
import { applyCompose } from '../compose/adapter';
import { readComposeStatus } from './compose';

const PEERS = ['dockerd', 'docker', 'docker-compose', 'docker-registry', 'busybox'];

describe.runIf(peerAvailable(PEERS))('compose target status on a real engine', { timeout: 240_000 }, () => {
  let engine: DockerEngine;
  let registry: RegistryPeer;
  let home: string;
  let image: string;
  const H = hostId(1);
  const GONE = hostId(2);
  const project = 'status-shop';

  beforeAll(async () => {
    [engine, registry] = await Promise.all([startDockerEngine(), startRegistry()]);
    [image] = (await pushBusyboxImage(engine.host, registry.address, 'status/web', ['v1'])) as [string];
    home = mkdtempSync(join(tmpdir(), 'status-home-'));
    const { ctx } = recorder();
    const { connect } = connector({ [H]: localShell(home, dockerEnv(engine.host)) });
    const rendered = composeFile({ web: webService(image), worker: { image, script: 'exec sleep 3600' } });
    const released = await applyCompose(work(project, rendered, [host(H)]), ctx, connect, { pollMs: 250 });
    if (released.status !== 'succeeded') throw new Error(`release: ${JSON.stringify(released)}`);
  }, 180_000);

  afterAll(async () => {
    await Promise.all([engine?.stop(), registry?.stop()]);
    if (home) rmSync(home, { recursive: true, force: true });
  });

  const statusWork = (hosts: string[]): TargetStatusWork => ({
    kind: 'target_status',
    target: { id: 'tgt_test', runtime_type: 'compose', namespace: null, compose_project: project },
    hosts: hosts.map(host),
    cluster: null,
  });
  const read = async (hosts: string[]) => {
    const { ctx, reports } = recorder();
    const { connect } = connector({ [H]: localShell(home, dockerEnv(engine.host)) });
    const report = await readComposeStatus(statusWork(hosts), ctx, connect);
    return { report, reports, result: TargetStatusResult.parse(report.result) };
  };

  it('lists the containers a release started, with state, health and image, and is healthy', async () => {
    const { report, reports, result } = await read([H]);
    expect(report.status).toBe('succeeded');
    expect(result.hosts).toEqual([
      {
        host_id: H,
        reachable: true,
        compose: 'v1',
        error_code: null,
        message: null,
        containers: [
          expect.objectContaining({ service: 'web', image, state: 'running', health: 'healthy' }),
          expect.objectContaining({ service: 'worker', image, state: 'running', health: null }),
        ],
      },
    ]);
    expect(targetHealth(result)).toBe('healthy');
    expect(finalSteps(reports).map((s) => [s.name, s.status])).toEqual(
      ['ssh.connect', 'compose.detect', 'compose.ps'].map((s) => [`${s}.${H}`, 'succeeded']),
    );
  });

  it('is degraded once a container is stopped by hand, which it names as exited', async () => {
    const env = { ...process.env, ...dockerEnv(engine.host) };
    const id = (
      await must(
        [
          'docker',
          'ps',
          '-q',
          '--filter',
          `label=com.docker.compose.project=${project}`,
          '--filter',
          'label=com.docker.compose.service=worker',
        ],
        { env },
      )
    ).trim();
    expect(id).not.toBe('');
    await must(['docker', 'stop', '-t', '1', id], { env });
    const { result } = await read([H]);
    const containers = result.hosts?.[0]?.containers ?? [];
    expect(containers.find((c) => c.service === 'worker')).toMatchObject({ state: 'exited' });
    expect(containers.find((c) => c.service === 'web')).toMatchObject({ state: 'running' });
    expect(targetHealth(result)).toBe('degraded');
  });

  it('reads every host: one that cannot be reached is reported with its code beside the others', async () => {
    const { report, result } = await read([GONE, H]);
    expect(report.status).toBe('succeeded');
    expect(result.hosts?.map((h) => [h.host_id, h.reachable, h.error_code])).toEqual([
      [GONE, false, 'SSH_CONNECT'],
      [H, true, null],
    ]);
    expect(result.hosts?.[0]?.message).toContain('no route to');
    // The hosts' passwords never leave in what is reported.
    expect(JSON.stringify(report)).not.toContain('host-password-');
  });
});
