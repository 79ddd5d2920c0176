import { BlockList, isIP } from 'node:net';
import { type Findings, sizedString } from './guard-core';

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
function refusedHost(host: string): string | undefined {
  const family = isIP(host);
  const type = family === 6 ? 'ipv6' : 'ipv4';
  if (METADATA_HOSTS.has(host) || (family && METADATA_ADDRESSES.check(host, type))) {
    return 'must not be a link-local or cloud metadata address';
  }
  if (family && NOT_UNICAST.check(host, type)) return 'must be a unicast address';
}

const bare = (hostname: string) =>
  hostname
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '')
    .toLowerCase();

/**
 * Returns the server URL as WHATWG normalises it (decimal, hex and mapped spellings of an address
 * become the canonical one), so what was checked is exactly what the runner dials. DNS names that
 * resolve to a refused address can only be caught where the connection is made.
 */
export function checkServer(f: Findings, value: unknown, path: string): string | undefined {
  const raw = sizedString(f, value, path);
  if (raw === undefined) return;
  if (raw.length > 2048) return void f.error(path, 'must be at most 2048 characters');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return void f.error(path, 'must be an https:// URL');
  }
  if (url.protocol !== 'https:') return void f.error(path, 'must use https://');
  if (url.username || url.password) return void f.error(path, 'must not hold credentials');
  if (url.search || url.hash) return void f.error(path, 'must not have a query or a fragment');
  const refused = refusedHost(bare(url.hostname));
  if (refused) return void f.error(path, refused);
  return url.pathname === '/' ? url.origin : `${url.origin}${url.pathname.replace(/\/$/, '')}`;
}

const LABEL = /^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$/;

/**
 * An SSH host address: a DNS name or an IP literal (IPv6 with or without brackets), refused by the
 * same rules as a cluster server. Returned normalised the way `checkServer` normalises a URL's host
 * (so `0xa9fea9fe` or `2852039166`, which getaddrinfo would also accept, are caught as the address
 * they spell), without brackets, ready for the SSH client to dial.
 */
export function checkHostAddress(f: Findings, value: unknown, path: string): string | undefined {
  if (value === undefined || value === null || value === '') return void f.error(path, 'is required');
  if (typeof value !== 'string') return void f.error(path, 'must be a string');
  if (value.length > 253) return void f.error(path, 'must be at most 253 characters');
  const unbracketed = value.replace(/^\[(.*)\]$/, '$1');
  const v6 = isIP(unbracketed) === 6;
  if (
    !v6 &&
    !value
      .replace(/\.$/, '')
      .split('.')
      .every((l) => LABEL.test(l))
  ) {
    return void f.error(path, 'must be a DNS name or an IP address');
  }
  let hostname: string;
  try {
    hostname = new URL(`https://${v6 ? `[${unbracketed}]` : value}/`).hostname;
  } catch {
    return void f.error(path, 'must be a DNS name or an IP address');
  }
  const host = bare(hostname);
  const refused = refusedHost(host);
  if (refused) return void f.error(path, refused);
  return host;
}
