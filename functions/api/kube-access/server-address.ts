import { isIP } from 'node:net';
import { refusedHost } from '../../../shared/net/refused-address';
import { type Findings, sizedString } from './guard-core';

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
