import type { HostAccess } from '../../shared/jobs/claim';
import type { SshPeer } from './sshd';

/** The work-order view of a test sshd: key auth as its user, pinned to its current host key. */
export function hostAccessFor(peer: SshPeer, over: Partial<HostAccess> = {}): HostAccess {
  return {
    id: `host-${peer.port}`,
    name: `test-${peer.address}-${peer.port}`,
    address: peer.address,
    port: peer.port,
    username: peer.username,
    host_key: peer.hostKeyFingerprint,
    auth: { kind: 'ssh_private_key', private_key: peer.privateKey },
    ...over,
  };
}
