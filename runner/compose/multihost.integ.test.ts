/**
 * A compose release to two hosts over real SSH: each host is a network namespace with its own
 * address and its own sshd, whose sessions reach a Docker engine of that host's own (the engines
 * run outside the namespaces; a session reaches its engine through DOCKER_HOST, a unix socket,
 * which no network namespace hides). The only way to change an engine is through its host's SSH
 * session, so what each engine runs afterwards shows what happened on each host.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostAccess } from '../../shared/jobs/claim';
import { type DockerEngine, projectImages, startDockerEngine } from '../../test/peers/docker';
import { hostAccessFor } from '../../test/peers/host-access';
import { pushBusyboxImage } from '../../test/peers/images';
import { createNetnsHost, type NetnsHost, netnsAvailable } from '../../test/peers/netns';
import { type RegistryPeer, startRegistry } from '../../test/peers/registry';
import { peerAvailable } from '../../test/peers/require';
import { type SshPeer, startSshd } from '../../test/peers/sshd';
import { composeFile, finalSteps, hostId, recorder, work } from '../../test/support/compose';
import { connectHost } from '../ssh/executor';
import { applyCompose } from './adapter';

// 150..159 are this file's netns indexes; other files pick their own.
const INDEXES = [150, 151] as const;
const PEERS = ['sshd', 'ssh-keygen', 'dockerd', 'docker', 'docker-compose', 'docker-registry', 'busybox'];
// Compose files land in this machine's home (the hosts share its files): a name per run.
const PROJECT = `multi-${process.pid}`;
const STEPS = [
  'ssh.connect',
  'compose.detect',
  'compose.upload',
  'compose.pull',
  'compose.up',
  'compose.wait',
];

// Each docker-compose v1 command starts a Python interpreter: about a second, more on a busy machine.
describe.skipIf(!(netnsAvailable() && peerAvailable(PEERS)))(
  'a compose release to two hosts over SSH',
  { timeout: 180_000 },
  () => {
    const hosts: NetnsHost[] = [];
    const engines: DockerEngine[] = [];
    const peers: SshPeer[] = [];
    let registry: RegistryPeer;
    let v1: string;
    let v2: string;
    const H = [hostId(INDEXES[0]), hostId(INDEXES[1])] as const;

    beforeAll(async () => {
      registry = await startRegistry();
      for (const index of INDEXES) {
        const h = await createNetnsHost(index);
        hosts.push(h);
        const engine = await startDockerEngine();
        engines.push(engine);
        peers.push(
          await startSshd({ netns: h.name, address: h.address, setEnv: { DOCKER_HOST: engine.host } }),
        );
      }
      // Pushed through the first engine; the second has only the registry to get them from.
      [v1, v2] = (await pushBusyboxImage(engines[0]!.host, registry.address, 'multi/web', ['v1', 'v2'])) as [
        string,
        string,
      ];
    }, 180_000);

    afterAll(async () => {
      for (const p of peers) await p.stop();
      for (const e of engines) await e.stop();
      await registry?.stop();
      for (const h of hosts) await h.destroy();
    }, 120_000);

    /** Host i as the work order names it: its namespace address, pinned to `key` (its own by default). */
    const access = (i: 0 | 1, key: string | null = peers[i]!.hostKeyFingerprint): HostAccess =>
      hostAccessFor(peers[i]!, { id: H[i], name: `host-${INDEXES[i]}`, host_key: key });

    // The container prints its image's tag, so each host's logs say which image it really runs.
    const file = (image: string) =>
      composeFile({ web: { image, script: 'echo "tag=$$(cat /etc/k8sm-tag)"; exec sleep 3600' } });

    async function release(image: string, hostList: HostAccess[]) {
      const { ctx, reports } = recorder();
      const contacted: string[] = [];
      const report = await applyCompose(
        work(PROJECT, file(image), hostList),
        ctx,
        (h) => {
          contacted.push(h.id);
          return connectHost(h);
        },
        { pollMs: 250 },
      );
      return { report, reports, contacted };
    }

    const running = () => Promise.all(engines.map((e) => projectImages(e.host, PROJECT)));

    it('releases host by host, each over its own session: both engines run the image, each step names its host and key', async () => {
      expect(hosts.map((h) => h.address)).toEqual(INDEXES.map((i) => `198.51.100.${i + 10}`));
      expect(await running()).toEqual([[], []]);

      // First contact: nothing pinned yet, so each host's connect step reports the key it saw.
      const { report, reports, contacted } = await release(v1, [access(0, null), access(1, null)]);
      expect(report.status, JSON.stringify(report.diagnostics)).toBe('succeeded');
      expect(contacted).toEqual([...H]);
      expect(await running()).toEqual([[v1], [v1]]);
      expect(report.result).toEqual({
        hosts: [
          { host_id: H[0], compose: 'v1' },
          { host_id: H[1], compose: 'v1' },
        ],
      });
      const diag = report.diagnostics as { hosts: { host_id: string; logs_tail?: string }[] };
      expect(diag.hosts.map((d) => [d.host_id, d.logs_tail])).toEqual([
        [H[0], expect.stringContaining('tag=v1')],
        [H[1], expect.stringContaining('tag=v1')],
      ]);

      // All of host 1's steps finish before host 2's start.
      expect(finalSteps(reports)).toEqual(
        H.flatMap((id) => STEPS.map((s) => ({ name: `${s}.${id}`, status: 'succeeded', host_id: id }))),
      );
      const firstOf2 = reports.findIndex((r) => r.host_id === H[1]);
      expect(reports.slice(firstOf2).every((r) => r.host_id === H[1])).toBe(true);
      const observed = H.map(
        (id) =>
          reports.find((r) => r.name === `ssh.connect.${id}` && r.status === 'succeeded')?.observed_host_key,
      );
      expect(observed).toEqual(peers.map((p) => p.hostKeyFingerprint));
      expect(observed[0]).not.toBe(observed[1]);
      // Only the connect step carries a key: the platform pins from that one.
      expect(reports.filter((r) => r.observed_host_key).map((r) => r.name)).toEqual(
        H.map((id) => `ssh.connect.${id}`),
      );
    });

    it('refuses host 2 when its pinned key is not the one it shows: HOST_KEY_MISMATCH, host 2 unchanged', async () => {
      // Host 1's key pinned for host 2: well formed, and the wrong one.
      const { report, reports, contacted } = await release(v2, [
        access(0),
        access(1, peers[0]!.hostKeyFingerprint),
      ]);
      expect(report).toMatchObject({ status: 'failed', error_code: 'HOST_KEY_MISMATCH' });
      expect(contacted).toEqual([...H]);
      expect(await running()).toEqual([[v2], [v1]]);

      const steps = finalSteps(reports);
      expect(steps.filter((s) => s.host_id === H[0]).every((s) => s.status === 'succeeded')).toBe(true);
      expect(steps.filter((s) => s.host_id === H[1])).toEqual([
        { name: `ssh.connect.${H[1]}`, status: 'failed', host_id: H[1] },
      ]);
      const refused = reports.find((r) => r.name === `ssh.connect.${H[1]}` && r.status === 'failed');
      expect(refused).toMatchObject({ error_code: 'HOST_KEY_MISMATCH' });
      expect(refused?.observed_host_key).toBeUndefined();
      const diag = report.diagnostics as {
        hosts: { host_id: string; failed_step?: string; compose: unknown }[];
      };
      expect(diag.hosts[1]).toMatchObject({ host_id: H[1], failed_step: 'ssh.connect', compose: null });
    });

    it('stops at host 1 when its pull fails: host 2 is never contacted and keeps what it runs', async () => {
      const missing = `${registry.address}/multi/web:v9-missing`;
      const { report, reports, contacted } = await release(missing, [access(0), access(1)]);
      expect(report).toMatchObject({ status: 'failed', error_code: 'IMAGE_PULL_FAILED' });
      expect(contacted).toEqual([H[0]]);
      expect(reports.some((r) => r.host_id === H[1])).toBe(false);
      // A failed pull comes before `up`: host 1 keeps running its image as well.
      expect(await running()).toEqual([[v2], [v1]]);
      const pull = finalSteps(reports).find((s) => s.name === `compose.pull.${H[0]}`);
      expect(pull).toMatchObject({ status: 'failed' });
      const diag = report.diagnostics as { hosts: { host_id: string; stderr_tail?: string }[] };
      expect(diag.hosts.map((d) => d.host_id)).toEqual([H[0]]);
      expect(diag.hosts[0]?.stderr_tail).toMatch(/manifest unknown|not found/i);
    });
  },
);
