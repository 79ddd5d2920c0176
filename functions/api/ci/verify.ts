import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { CiProvider } from '../../../shared/contracts/ci';

/** SPEC §7.2: a Standard Webhooks delivery more than this far from our clock is refused. */
export const TIMESTAMP_TOLERANCE_MS = 5 * 60_000;
/** Standard Webhooks secrets are `whsec_` and the base64 of the HMAC key. */
export const STANDARD_PREFIX = 'whsec_';

export type Delivery = {
  provider: CiProvider;
  header: (name: string) => string | undefined;
  raw: Buffer;
  now: Date;
};

export type Verified = { ok: true; deliveryId: string; event: string | undefined };
/** Why a delivery is refused; said to the audit stream, never echoed with the body. */
export type Refused = { ok: false; reason: string };

const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest();

/**
 * Equal-length digests compared in constant time. Hashing both sides first means neither the
 * length nor a matching prefix of the secret shows in the timing.
 */
const sameSecret = (given: Buffer | string, expected: Buffer | string) =>
  timingSafeEqual(sha256(given), sha256(expected));

/** GitHub: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>`, form bodies included. */
function github(d: Delivery, secret: string): Verified | Refused {
  const given = d.header('x-hub-signature-256');
  if (!given) return { ok: false, reason: 'no X-Hub-Signature-256' };
  const expected = `sha256=${createHmac('sha256', secret).update(d.raw).digest('hex')}`;
  if (!sameSecret(given.trim().toLowerCase(), expected)) return { ok: false, reason: 'bad signature' };
  const id = d.header('x-github-delivery');
  if (!id) return { ok: false, reason: 'no X-GitHub-Delivery' };
  return { ok: true, deliveryId: id, event: d.header('x-github-event') };
}

/** GitLab sends the secret itself as `X-Gitlab-Token` (TLS protects it in transit). */
function gitlab(d: Delivery, secret: string): Verified | Refused {
  const given = d.header('x-gitlab-token');
  if (!given) return { ok: false, reason: 'no X-Gitlab-Token' };
  if (!sameSecret(given, secret)) return { ok: false, reason: 'bad token' };
  const id = d.header('x-gitlab-event-uuid');
  if (!id) return { ok: false, reason: 'no X-Gitlab-Event-UUID' };
  return { ok: true, deliveryId: id, event: d.header('x-gitlab-event') };
}

/**
 * Standard Webhooks: `webhook-signature` lists `v1,<base64 HMAC-SHA256>` entries over
 * `id.timestamp.body` under the key the secret encodes; any one matching is enough (a sender
 * rotating its secret signs with both).
 */
function standard(d: Delivery, secret: string): Verified | Refused {
  const id = d.header('webhook-id');
  const timestamp = d.header('webhook-timestamp');
  const signatures = d.header('webhook-signature');
  if (!id || !timestamp || !signatures)
    return { ok: false, reason: 'missing webhook-id, -timestamp or -signature' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'malformed webhook-timestamp' };
  if (Math.abs(Number(timestamp) * 1000 - d.now.getTime()) > TIMESTAMP_TOLERANCE_MS)
    return { ok: false, reason: 'webhook-timestamp outside ±5 minutes' };
  const key = Buffer.from(secret.slice(STANDARD_PREFIX.length), 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.`).update(d.raw).digest('base64');
  let matched = false;
  for (const entry of signatures.split(' ')) {
    const [version, sig] = entry.split(',', 2);
    // Every entry is compared, so the position of a match does not show in the timing.
    if (version === 'v1' && sig !== undefined && sameSecret(sig, expected)) matched = true;
  }
  if (!matched) return { ok: false, reason: 'bad signature' };
  return { ok: true, deliveryId: id, event: undefined };
}

/** Checks a delivery the way its provider signs it, on the raw body as it arrived. */
export function verifyDelivery(d: Delivery, secret: string): Verified | Refused {
  switch (d.provider) {
    case 'github_actions':
      return github(d, secret);
    case 'gitlab_ci':
      return gitlab(d, secret);
    case 'jenkins':
    case 'generic':
      return standard(d, secret);
  }
}

/**
 * The JSON a verified delivery carries. GitHub's form-encoded deliveries put it in `payload=`;
 * the signature covered the form body, so the payload is read only after it matched.
 */
export function deliveryBody(raw: Buffer, contentType: string | undefined): unknown {
  const text = raw.toString('utf8');
  if (contentType?.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    const payload = new URLSearchParams(text).get('payload');
    if (payload === null) throw new SyntaxError('no payload field');
    return JSON.parse(payload);
  }
  return JSON.parse(text);
}
