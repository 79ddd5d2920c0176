/**
 * The engine peer itself: two engines are separate (containers of one are not seen by the other,
 * each runs its own containerd), and stop leaves no process, mount, bridge or directory behind.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type DockerEngine, dockerEnv, startDockerEngine } from './docker';
import { pushBusyboxImage } from './images';
import { alive, must } from './proc';
import { type RegistryPeer, startRegistry } from './registry';
import { peerAvailable } from './require';

describe.runIf(peerAvailable(['dockerd', 'docker', 'docker-registry', 'busybox']))(
  'docker engine peer',
  () => {
    const started: (DockerEngine | RegistryPeer)[] = [];
    afterAll(async () => {
      await Promise.all(started.map((p) => p.stop()));
    });

    it('runs engines side by side, each with its own containers and containerd, and cleans up', async () => {
      const [a, b, registry] = await Promise.all([startDockerEngine(), startDockerEngine(), startRegistry()]);
      started.push(a, b, registry);
      const [ref] = (await pushBusyboxImage(a.host, registry.address, 'peer/probe', ['t1'])) as [string];
      const env = (e: DockerEngine) => ({ env: { ...process.env, ...dockerEnv(e.host) } });

      // The image really is in the registry: the other engine pulls it from there.
      await must(['docker', 'pull', ref], env(b));
      const out = await must(
        ['docker', 'run', '--rm', '--network', 'none', ref, 'cat', '/etc/k8sm-tag'],
        env(b),
      );
      expect(out.trim()).toBe('t1');

      await must(
        ['docker', 'run', '-d', '--name', 'only-on-a', '--network', 'none', ref, 'sleep', '600'],
        env(a),
      );
      expect(await must(['docker', 'ps', '--format', '{{.Names}}'], env(a))).toContain('only-on-a');
      expect(await must(['docker', 'ps', '-a', '--format', '{{.Names}}'], env(b))).not.toContain('only-on-a');

      const containerd = (e: DockerEngine) =>
        Number(readFileSync(join(e.dir, 'exec', 'containerd', 'containerd.pid'), 'utf8').trim());
      const daemons = [a, b].map((e) => ({
        dir: e.dir,
        dockerd: Number(readFileSync(join(e.dir, 'pid'), 'utf8')),
      }));
      const containerds = [containerd(a), containerd(b)];
      const network = (await must(['docker', 'network', 'create', 'probe-net'], env(a))).trim();
      expect(existsSync(`/sys/class/net/br-${network.slice(0, 12)}`)).toBe(true);
      expect(containerds[0]).not.toBe(containerds[1]);

      const t0 = Date.now();
      await Promise.all([a.stop(), b.stop()]);
      // A running container (whose PID 1 ignores SIGTERM) does not hold the shutdown.
      expect(Date.now() - t0).toBeLessThan(10_000);
      for (const d of daemons) {
        expect(alive(d.dockerd)).toBe(false);
        expect(existsSync(d.dir)).toBe(false);
        expect(readFileSync('/proc/self/mountinfo', 'utf8')).not.toContain(d.dir);
      }
      for (const pid of containerds) expect(alive(pid)).toBe(false);
      // The network's bridge would otherwise stay on the machine and hold its address range.
      expect(existsSync(`/sys/class/net/br-${network.slice(0, 12)}`)).toBe(false);
    }, 60_000);
  },
);
