import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

function base32(bytes: Uint8Array): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

let lastMs = 0;
let seq = 0;

/**
 * Opaque ids that sort by creation time (48-bit ms + counter + 64 random bits), so keyset
 * pagination by id is stable and index-friendly. The prefix says what the id names.
 */
export function newId(prefix: string, now: number = Date.now()): string {
  if (now <= lastMs) {
    seq += 1;
    now = lastMs;
  } else {
    lastMs = now;
    seq = 0;
  }
  const head = new Uint8Array(8);
  let t = now;
  for (let i = 5; i >= 0; i--) {
    head[i] = t % 256;
    t = Math.floor(t / 256);
  }
  head[6] = (seq >>> 8) & 0xff;
  head[7] = seq & 0xff;
  const bytes = new Uint8Array(16);
  bytes.set(head, 0);
  bytes.set(randomBytes(8), 8);
  return `${prefix}_${base32(bytes)}`;
}
