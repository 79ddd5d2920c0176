import { BlockList, isIP } from 'node:net';

/**
 * Where the platform lets a runner connect: private and loopback addresses are fine (clusters and
 * hosts live in private networks); link-local, cloud metadata and non-unicast addresses never are.
 * Cluster servers and SSH hosts share these rules.
 */
const METADATA_HOSTS = new Set([
  'metadata',
  'metadata.google.internal',
  'metadata.goog',
  'instance-data',
  'instance-data.ec2.internal',
  'metadata.tencentyun.com',
]);

/** Link-local and metadata addresses, with the IPv6 spellings that reach them (mapped, NAT64, compat). */
const METADATA_ADDRESSES = new BlockList();
const NOT_UNICAST = new BlockList();
for (const [v4, bits] of [
  ['169.254.0.0', 16],
  ['100.100.100.200', 32], // Alibaba Cloud's metadata service
] as const) {
  METADATA_ADDRESSES.addSubnet(v4, bits, 'ipv4'); // BlockList matches ::ffff:a.b.c.d against this too
  METADATA_ADDRESSES.addSubnet(`64:ff9b::${v4}`, 96 + bits, 'ipv6');
  METADATA_ADDRESSES.addSubnet(`::${v4}`, 96 + bits, 'ipv6');
}
METADATA_ADDRESSES.addSubnet('fe80::', 10, 'ipv6');
METADATA_ADDRESSES.addAddress('fd00:ec2::254', 'ipv6');
NOT_UNICAST.addSubnet('0.0.0.0', 8, 'ipv4');
NOT_UNICAST.addSubnet('224.0.0.0', 3, 'ipv4'); // multicast, reserved and broadcast
NOT_UNICAST.addAddress('::', 'ipv6');
NOT_UNICAST.addSubnet('ff00::', 8, 'ipv6');

/** Why a host (as WHATWG normalised it, brackets and trailing dot removed) is refused, if it is. */
export function refusedHost(host: string): string | undefined {
  const family = isIP(host);
  const type = family === 6 ? 'ipv6' : 'ipv4';
  if (METADATA_HOSTS.has(host) || (family && METADATA_ADDRESSES.check(host, type))) {
    return 'must not be a link-local or cloud metadata address';
  }
  if (family && NOT_UNICAST.check(host, type)) return 'must be a unicast address';
}
