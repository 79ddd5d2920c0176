import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostAccessFor } from '../../test/peers/host-access';
import { createNetnsHost, type NetnsHost, netnsAvailable } from '../../test/peers/netns';
import { peerAvailable } from '../../test/peers/require';
import { type SshPeer, startSshd } from '../../test/peers/sshd';
import { connectHost } from './executor';

// Indexes 181 and 182 are this file's; other files pick their own.
const INDEXES = [181, 182];

describe.skipIf(!(netnsAvailable() && peerAvailable(['sshd', 'ssh-keygen'])))(
  'hosts in network namespaces',
  () => {
    const hosts: NetnsHost[] = [];
    const peers: SshPeer[] = [];

    beforeAll(async () => {
      for (const index of INDEXES) {
        const h = await createNetnsHost(index);
        hosts.push(h);
        peers.push(
          await startSshd({ netns: h.name, address: h.address, setEnv: { HOST_INDEX: String(index) } }),
        );
      }
    });
    afterAll(async () => {
      for (const p of peers) await p.stop();
      for (const h of hosts) await h.destroy();
    });

    it('are distinct hosts: own address, own host key, own sshd', async () => {
      expect(hosts.map((h) => h.address)).toEqual(['198.51.100.191', '198.51.100.192']);
      expect(new Set(peers.map((p) => p.hostKeyFingerprint)).size).toBe(2);
      for (const [i, peer] of peers.entries()) {
        const { shell, observedHostKey } = await connectHost(hostAccessFor(peer, { host_key: null }));
        try {
          expect(observedHostKey).toBe(peer.hostKeyFingerprint);
          const addrs = (await shell.exec(['ip', '-4', '-o', 'addr', 'show'], { timeoutMs: 10_000 })).stdout;
          expect(addrs).toContain(`inet ${hosts[i]!.address}`);
          expect(addrs).not.toContain(`inet ${hosts[1 - i]!.address}`);
          expect((await shell.exec(['printenv', 'HOST_INDEX'], { timeoutMs: 10_000 })).stdout).toBe(
            `${INDEXES[i]}\n`,
          );
        } finally {
          await shell.close();
        }
      }
    });

    it('refuses an index whose address is already in use', async () => {
      await expect(createNetnsHost(INDEXES[0]!)).rejects.toThrow(/already in use/);
    });

    it('removes the namespace and its link on destroy', async () => {
      const extra = await createNetnsHost(183);
      expect(execFileSync('ip', ['netns', 'list']).toString()).toContain(extra.name);
      await extra.destroy();
      expect(execFileSync('ip', ['netns', 'list']).toString()).not.toContain(extra.name);
      expect(execFileSync('ip', ['-4', 'route', 'show', extra.address]).toString().trim()).toBe('');
      await expect(createNetnsHost(183).then((h) => h.destroy())).resolves.toBeUndefined();
    });
  },
);
