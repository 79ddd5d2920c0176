import { lookup as dnsLookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { refusedHost } from './refused-address';

/**
 * Where calls the platform makes on its own behalf (notification deliveries, CI provider triggers)
 * may go. Link-local and metadata addresses never; loopback and private ranges only where the
 * platform itself lives in a private network (the embedded default) or an operator listed them,
 * because in the cloud such a URL would let a project admin probe the platform's own VPC.
 */
export type OutboundRule = { allowPrivate: boolean; allowCidrs: readonly string[] };

export type OutboundCheck = { ok: true; url: URL; address: string } | { ok: false; reason: string };

type Lookup = (host: string) => Promise<{ address: string }[]>;

const PRIVATE = new BlockList();
for (const [addr, bits] of [
  ['127.0.0.0', 8],
  ['10.0.0.0', 8],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['100.64.0.0', 10], // carrier-grade NAT, used inside VPCs
  ['198.18.0.0', 15],
] as const) {
  PRIVATE.addSubnet(addr, bits, 'ipv4');
  PRIVATE.addSubnet(`::ffff:${addr}`, 96 + bits, 'ipv6');
}
PRIVATE.addAddress('::1', 'ipv6');
PRIVATE.addSubnet('fc00::', 7, 'ipv6');

const allowLists = new WeakMap<readonly string[], BlockList>();
function allowList(cidrs: readonly string[]): BlockList {
  let list = allowLists.get(cidrs);
  if (!list) {
    list = new BlockList();
    for (const cidr of cidrs) {
      const [addr = '', bits] = cidr.split('/');
      const family = isIP(addr) === 6 ? 'ipv6' : 'ipv4';
      list.addSubnet(addr, Number(bits ?? (family === 'ipv6' ? 128 : 32)), family);
    }
    allowLists.set(cidrs, list);
  }
  return list;
}

/** Why this one address may not be called, if it may not. */
export function refusedOutboundAddress(address: string, rule: OutboundRule): string | undefined {
  const refused = refusedHost(address);
  if (refused) return refused;
  const type = isIP(address) === 6 ? 'ipv6' : 'ipv4';
  if (
    !rule.allowPrivate &&
    PRIVATE.check(address, type) &&
    !allowList(rule.allowCidrs).check(address, type)
  ) {
    return 'must not be a loopback or private address (K8SM_NOTIFY_ALLOW_CIDRS can allow a range)';
  }
  return undefined;
}

/**
 * Checks a URL and every address its host resolves to; answers the address to connect to, so the
 * caller dials what was checked and a rebinding DNS server cannot answer differently the second
 * time. Run it when a URL is saved and again before every call.
 */
export async function checkOutboundUrl(
  raw: string,
  rule: OutboundRule,
  lookup: Lookup = (host) => dnsLookup(host, { all: true, verbatim: true }),
): Promise<OutboundCheck> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'must be an absolute URL' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return { ok: false, reason: 'must be http or https' };
  if (url.username || url.password) return { ok: false, reason: 'must not carry credentials' };
  const host = url.hostname
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '')
    .toLowerCase();
  const named = refusedHost(host);
  if (named) return { ok: false, reason: named };
  let addresses: { address: string }[];
  if (isIP(host)) addresses = [{ address: host }];
  else {
    try {
      addresses = await lookup(host);
    } catch {
      return { ok: false, reason: 'does not resolve' };
    }
  }
  if (addresses.length === 0) return { ok: false, reason: 'does not resolve' };
  for (const { address } of addresses) {
    const refused = refusedOutboundAddress(address, rule);
    if (refused)
      return { ok: false, reason: isIP(host) ? refused : `resolves to ${address}, which ${refused}` };
  }
  return { ok: true, url, address: addresses[0]!.address };
}
