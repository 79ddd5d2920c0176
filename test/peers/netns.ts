/**
 * Test hosts as network namespaces, each with its own address in 198.51.100.0/24 (a documentation
 * range, never routed anywhere real).
 *
 * Layout: one veth pair per host with point-to-point /32 addressing. Inside, the namespace holds
 * 198.51.100.<index+10> with the peer 198.51.100.1; the root end of every pair holds 198.51.100.1
 * with that host's address as its peer. So hosts share no subnet and need no bridge (nothing shared
 * to create or tear down between parallel test files), and one root-side address serves every
 * namespace: a registry listening on 198.51.100.1 is reachable from all of them. Namespaces get no
 * default route: from inside, only their own loopback and 198.51.100.1 are reachable.
 *
 * Names carry the creating process's pid, so parallel test files never collide on names; addresses
 * come from the index, so two files must use different indexes (a taken one is refused).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { peerAvailable, requireBinary } from './require';

const run = promisify(execFile);

export type NetnsHost = {
  name: string;
  /** The host's address, inside its namespace. */
  address: string;
  /** The root namespace's end of the link (the same for every host). */
  rootAddress: string;
  destroy(): Promise<void>;
};

export const ROOT_ADDRESS = '198.51.100.1';
const PREFIX = 'k8sm';

/** Namespaces need root and iproute2; like every peer, CI fails instead of skipping. */
export function netnsAvailable(): boolean {
  if (!peerAvailable(['ip'])) return false;
  if (process.getuid?.() === 0) return true;
  if (process.env.CI === 'true') throw new Error('network namespace test hosts need root');
  return false;
}

async function ipCmd(args: string[]): Promise<string> {
  const { stdout } = await run(requireBinary('ip'), args, { timeout: 10_000 });
  return stdout;
}

const pidAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

let swept = false;

/** Namespaces left by test processes that died before destroying them would hold their addresses. */
async function sweepStale(): Promise<void> {
  if (swept) return;
  swept = true;
  const list = await ipCmd(['netns', 'list']);
  for (const line of list.split('\n')) {
    const m = line.match(new RegExp(`^(${PREFIX}-(\\d+)-\\d+)\\b`));
    if (m?.[1] && m[2] && !pidAlive(Number(m[2]))) await ipCmd(['netns', 'del', m[1]]).catch(() => undefined);
  }
}

export async function createNetnsHost(index: number): Promise<NetnsHost> {
  if (!Number.isInteger(index) || index < 1 || index > 200) {
    throw new RangeError(`netns host index must be an integer in 1..200, got ${index}`);
  }
  await sweepStale();
  const name = `${PREFIX}-${process.pid}-${index}`;
  const address = `198.51.100.${index + 10}`;
  // Interface names are limited to 15 characters.
  const tag = `km${process.pid.toString(36)}`;
  const rootEnd = `${tag}r${index}`;
  const innerEnd = `${tag}n${index}`;

  if ((await ipCmd(['-4', '-o', 'route', 'show', `${address}/32`])).trim() !== '') {
    throw new Error(
      `test host address ${address} is already in use: choose another netns index than ${index}`,
    );
  }
  const destroy = async () => {
    // Deleting the root end takes the pair at once; a deleted namespace releases its end lazily.
    await ipCmd(['link', 'del', rootEnd]).catch(() => undefined);
    await ipCmd(['netns', 'del', name]).catch(() => undefined);
  };
  try {
    await ipCmd(['netns', 'add', name]);
    await ipCmd(['link', 'add', rootEnd, 'type', 'veth', 'peer', 'name', innerEnd]);
    await ipCmd(['link', 'set', innerEnd, 'netns', name]);
    await ipCmd(['addr', 'add', `${ROOT_ADDRESS}/32`, 'peer', `${address}/32`, 'dev', rootEnd]);
    await ipCmd(['link', 'set', rootEnd, 'up']);
    await ipCmd(['-n', name, 'link', 'set', innerEnd, 'name', 'eth0']);
    await ipCmd(['-n', name, 'addr', 'add', `${address}/32`, 'peer', `${ROOT_ADDRESS}/32`, 'dev', 'eth0']);
    await ipCmd(['-n', name, 'link', 'set', 'lo', 'up']);
    await ipCmd(['-n', name, 'link', 'set', 'eth0', 'up']);
  } catch (e) {
    await destroy();
    throw e;
  }
  return { name, address, rootAddress: ROOT_ADDRESS, destroy };
}
