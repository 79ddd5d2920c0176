import { type DockerEngine, startDockerEngine } from './docker';
import { pushBusyboxImage } from './images';
import { type RegistryPeer, startRegistry } from './registry';
import { type SshPeer, startSshd } from './sshd';

/** The programs a compose lab needs on the machine (for `peerAvailable`). */
export const COMPOSE_LAB_PEERS = [
  'sshd',
  'ssh-keygen',
  'dockerd',
  'docker',
  'docker-compose',
  'docker-registry',
  'busybox',
];

/**
 * Where a compose release lands for real: a registry holding `web:<tag>` images, a Docker engine,
 * and an sshd whose sessions reach that engine (the host a target names).
 */
export type ComposeLab = {
  registry: RegistryPeer;
  engine: DockerEngine;
  sshd: SshPeer;
  /** Stops all three, whatever state each is in. */
  stop(): Promise<void>;
};

/** `sshEnv`: more of the sessions' environment beside DOCKER_HOST. */
export async function startComposeLab(opts: {
  tags: string[];
  sshEnv?: Record<string, string>;
}): Promise<ComposeLab> {
  const started: { stop(): Promise<void> }[] = [];
  try {
    const registry = await startRegistry();
    started.push(registry);
    const engine = await startDockerEngine();
    started.push(engine);
    await pushBusyboxImage(engine.host, registry.address, 'web', opts.tags);
    const sshd = await startSshd({ setEnv: { DOCKER_HOST: engine.host, ...opts.sshEnv } });
    started.push(sshd);
    return {
      registry,
      engine,
      sshd,
      async stop() {
        await stopAll(started);
      },
    };
  } catch (err) {
    // The start's own failure is the one worth reading.
    await stopAll(started).catch(() => {});
    throw err;
  }
}

/**
 * Last started, first stopped (the sshd's sessions use the engine, the engine pulls from the
 * registry); every one is stopped even when one fails, and the first failure is thrown.
 */
async function stopAll(peers: { stop(): Promise<void> }[]) {
  const failures: unknown[] = [];
  for (const p of [...peers].reverse()) await p.stop().catch((e: unknown) => failures.push(e));
  if (failures.length) throw failures[0];
}

/** A `web` service of the lab's image that only stays up, with the secret API_KEY in its environment. */
export const WEB_COMPOSE = `services:
  web:
    image: \${REGISTRY}/web:\${TAG}
    init: true
    command: ["sh", "-c", "exec sleep 3600"]
    environment:
      API_KEY: \${API_KEY}
`;

/** The same beside a `worker` of the same image: a target whose status lists two containers. */
export const WEB_AND_WORKER_COMPOSE = `${WEB_COMPOSE}  worker:
    image: \${REGISTRY}/web:\${TAG}
    init: true
    command: ["sh", "-c", "exec sleep 3600"]
`;
