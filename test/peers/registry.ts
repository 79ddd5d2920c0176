/**
 * An image registry of a test's own (Docker Distribution 2.x), storing on the file system in a
 * temp directory and listening on a free port. Plain HTTP: engines treat 127.0.0.0/8 registries as
 * insecure by default; an address elsewhere must be in the engine's `insecureRegistries`.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startDaemon, stopProcess, waitFor } from './proc';
import { requireBinary } from './require';

export type RegistryPeer = {
  /** `host:port`, as an image reference starts. */
  address: string;
  stop(): Promise<void>;
};

const config = (dir: string, addr: string) => `version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: ${join(dir, 'data')}
  delete:
    enabled: true
http:
  addr: ${addr}
`;

export async function startRegistry(opts: { address?: string } = {}): Promise<RegistryPeer> {
  const binary = requireBinary('docker-registry');
  const host = opts.address ?? '127.0.0.1';
  const dir = mkdtempSync(join(tmpdir(), 'registry-'));
  // A port found free can be taken before the registry binds it: then try another.
  for (let attempt = 1; ; attempt++) {
    const address = `${host}:${await freePort(host)}`;
    writeFileSync(join(dir, 'config.yml'), config(dir, address));
    const log = join(dir, `registry-${attempt}.log`);
    const child = startDaemon([binary, 'serve', join(dir, 'config.yml')], log);
    const stop = async () => {
      await stopProcess(child, 10_000);
      rmSync(dir, { recursive: true, force: true });
    };
    try {
      await waitFor(
        'docker-registry',
        async () =>
          (await fetch(`http://${address}/v2/`, { signal: AbortSignal.timeout(2_000) })).status === 200,
        15_000,
        () => child.exitCode !== null,
      );
      return { address, stop };
    } catch (e) {
      await stopProcess(child, 5_000);
      if (attempt >= 3) {
        const text = readFileSync(log, 'utf8').split('\n').slice(-20).join('\n');
        rmSync(dir, { recursive: true, force: true });
        throw new Error(`${(e as Error).message}\n${text}`);
      }
    }
  }
}
