import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { ErrorCode } from '../../shared/errors';
import { refusedHost } from '../../shared/net/refused-address';
import { StepError } from '../jobs/steps';

/**
 * The platform refuses link-local and metadata addresses when a host or cluster is saved, but a
 * DNS name is only known at dial time, here, inside the private network. Resolves the name and
 * returns the address to dial, so what was checked is what gets connected to (no second lookup a
 * rebinding DNS server could answer differently).
 */
export async function dialableAddress(host: string, code: ErrorCode): Promise<string> {
  const bare = host
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '')
    .toLowerCase();
  const literal = isIP(bare) !== 0;
  const refusedName = refusedHost(bare);
  if (refusedName) throw new StepError(code, `${host} ${refusedName}`);
  if (literal) return bare;
  let addresses: { address: string }[];
  try {
    addresses = await lookup(bare, { all: true, verbatim: true });
  } catch {
    throw new StepError(code, `${host} does not resolve`);
  }
  for (const a of addresses) {
    const refused = refusedHost(a.address);
    if (refused) throw new StepError(code, `${host} resolves to ${a.address}, which ${refused}`);
  }
  const first = addresses[0];
  if (!first) throw new StepError(code, `${host} does not resolve`);
  return first.address;
}
