import { timingSafeEqual } from 'node:crypto';
import { BlockList, isIP } from 'node:net';
import type { Config } from '../../platform/config';
import { getSecretString } from '../../platform/secrets/secrets-manager';

/** What a request says about where it came from; only some of it is believed (see clientAddress). */
export type AddressEvidence = {
  /** The TCP peer of the local server. */
  socket: string | undefined;
  /** API Gateway's source IP, in the cloud. */
  gatewaySourceIp: string | undefined;
  header(name: string): string | undefined;
};

export type AddressTrust = {
  /** Proxies whose X-Forwarded-For is believed (CIDRs `addr/bits`). */
  trustedProxies: string[] | undefined;
  /** The value CloudFront adds as X-K8sm-Origin-Verify; undefined: CloudFront's headers are ignored. */
  originSecret: string | undefined;
};

export const ORIGIN_VERIFY_HEADER = 'x-k8sm-origin-verify';

const lists = new WeakMap<string[], BlockList>();
function blockList(cidrs: string[]): BlockList {
  let list = lists.get(cidrs);
  if (!list) {
    list = new BlockList();
    for (const cidr of cidrs) {
      const [addr = '', bits] = cidr.split('/');
      list.addSubnet(addr, Number(bits), isIP(addr) === 6 ? 'ipv6' : 'ipv4');
    }
    lists.set(cidrs, list);
  }
  return list;
}

const trusted = (list: BlockList, addr: string) =>
  isIP(addr) !== 0 && list.check(addr, isIP(addr) === 6 ? 'ipv6' : 'ipv4');

function sameSecret(given: string | undefined, secret: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(secret, 'utf8');
  // Lengths differ: compare b with itself so the time does not depend on where they differ.
  return timingSafeEqual(a.length === b.length ? a : b, b) && a.length === b.length;
}

/** `198.51.100.10:46532` or `2001:db8::1:46532` → the address; undefined if it is not one. */
function viewerAddress(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const addr = value.slice(0, value.lastIndexOf(':')).replace(/^\[|\]$/g, '');
  return isIP(addr) ? addr : undefined;
}

/**
 * The client address login throttling counts against. A header is believed only from whoever is
 * known to set it honestly, since a guesser sets any header it likes:
 * - in the cloud, API Gateway's source IP; CloudFront-Viewer-Address only on a request carrying
 *   the origin secret CloudFront adds (otherwise every viewer would share an edge's address);
 * - locally, the socket's peer; X-Forwarded-For only when that peer is a trusted proxy, and then
 *   the right-most address no trusted proxy vouches for (entries further left are the client's
 *   own claims).
 */
export function clientAddress(e: AddressEvidence, trust: AddressTrust): string {
  if (e.gatewaySourceIp) {
    if (trust.originSecret && sameSecret(e.header(ORIGIN_VERIFY_HEADER), trust.originSecret))
      return viewerAddress(e.header('cloudfront-viewer-address')) ?? e.gatewaySourceIp;
    return e.gatewaySourceIp;
  }
  const peer = e.socket ?? 'unknown';
  if (!trust.trustedProxies?.length) return peer;
  const list = blockList(trust.trustedProxies);
  if (!trusted(list, peer)) return peer;
  const hops = (e.header('x-forwarded-for') ?? '')
    .split(',')
    .map((h) => h.trim())
    .filter(Boolean);
  let last = peer;
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i]!;
    // A hop that is no address is the client's invention: the proxy that passed it on is the client.
    if (!isIP(hop)) return last;
    if (!trusted(list, hop)) return hop;
    last = hop;
  }
  return last;
}

const originSecrets = new WeakMap<Config, Promise<string>>();

/** The origin secret, read from Secrets Manager once per process; a failed read is retried next time. */
export function originSecret(config: Config): Promise<string | undefined> {
  const arn = config.originVerifySecretArn;
  if (!arn) return Promise.resolve(undefined);
  let secret = originSecrets.get(config);
  if (!secret) {
    secret = getSecretString(arn, config.aws).catch((e) => {
      originSecrets.delete(config);
      throw e;
    });
    originSecrets.set(config, secret);
  }
  return secret;
}
