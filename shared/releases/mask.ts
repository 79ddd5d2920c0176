/**
 * Masking (SPEC §4 "Masking"): what a person may see of a revision. Values of a Kubernetes
 * Secret's `data` and `stringData`, and every occurrence of a secret variable's value, become
 * `***`. Masked, not dropped: the key stays, so the approver sees which secret is there, and a
 * digest per value lets the diff say `changed` or `unchanged` without showing either value.
 *
 * Digests are SHA-256 over a domain-separated preimage. A plain hash of a weak password can be
 * guessed offline by whoever reads the database, so callers that keep digests should pass a
 * `key` (a MAC key from the key provider), which makes them HMAC-SHA256.
 */
import { Buffer } from 'node:buffer';
import { createHash, createHmac } from 'node:crypto';
import { isPlainObject } from './yaml';

export const MASK = '***';

/** kubectl copies the whole object, Secret values included, into this annotation. */
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

export type DigestOptions = { key?: string | Uint8Array };

/** What one secret shows as, from its name (`Secret/<name>/<key>` or a variable's) and its value. */
export type SecretShow = (name: string, value: string | Uint8Array) => string;

/** Hex characters of a tag: enough to tell a change apart, too few to identify a value. */
export const TAG_LENGTH = 8;

/**
 * The tag a masked revision shows after `***`: the first 8 hex characters of
 * HMAC-SHA256(key, "k8sm-tag-v1\0" + name + "\0" + value), with the target's tag key, so the same
 * secret under the same name tags alike in every release of that target (a rollback shows it
 * unchanged) and a changed value tags differently, while without the key a tag confirms no guess.
 */
export function secretTag(key: Uint8Array, name: string, value: string | Uint8Array): string {
  return createHmac('sha256', key)
    .update('k8sm-tag-v1\0')
    .update(name)
    .update('\0')
    .update(value)
    .digest('hex')
    .slice(0, TAG_LENGTH);
}

/** `***` followed by the secret's tag under `key`. */
export const taggedMask =
  (key: Uint8Array): SecretShow =>
  (name, value) =>
    MASK + secretTag(key, name, value);

/** `Secret/<name>/<key>` -> digest of the value the key will hold in the cluster. */
export type SecretDigests = Record<string, string>;

export function secretDigest(value: string | Uint8Array, options: DigestOptions = {}): string {
  const h = options.key ? createHmac('sha256', options.key) : createHash('sha256');
  return h.update('k8sm-secret-v1\0').update(value).digest('hex');
}

/**
 * Masks every Secret document; other documents pass through (as copies). `data` values are
 * digested as the bytes they decode to and `stringData` as UTF-8, with `stringData` winning a key
 * present in both (as the API server does), so moving a value from one to the other is `unchanged`.
 */
export function maskK8sDocuments(
  documents: readonly unknown[],
  options: DigestOptions & { show?: SecretShow } = {},
): { masked: unknown[]; secretDigests: SecretDigests } {
  const secretDigests: SecretDigests = {};
  const masked = documents.map((doc) => {
    if (!isPlainObject(doc) || doc.kind !== 'Secret') return structuredClone(doc);
    const name = isPlainObject(doc.metadata) ? String(doc.metadata.name) : '';
    const out: Record<string, unknown> = structuredClone(doc);
    for (const field of ['data', 'stringData'] as const) {
      const values = doc[field];
      if (!isPlainObject(values)) continue;
      const keep: [string, unknown][] = [];
      for (const [key, value] of Object.entries(values)) {
        const bytes =
          field === 'data'
            ? Buffer.from(String(value ?? ''), 'base64')
            : Buffer.from(String(value ?? ''), 'utf8');
        const ref = `Secret/${name}/${key}`;
        secretDigests[ref] = secretDigest(bytes, options);
        keep.push([key, options.show ? options.show(ref, bytes) : MASK]);
      }
      out[field] = Object.fromEntries(keep);
    }
    const annotations = isPlainObject(out.metadata) ? out.metadata.annotations : undefined;
    if (isPlainObject(annotations) && annotations[LAST_APPLIED] !== undefined)
      annotations[LAST_APPLIED] = MASK;
    return out;
  });
  return { masked, secretDigests };
}

/**
 * Every occurrence of every secret value, longest first (so a secret that contains another is
 * masked whole), also in its JSON-escaped spelling, since diagnostics and logs are often JSON.
 */
export function maskText(text: string, secretValues: readonly string[]): string {
  const forms = new Set<string>();
  for (const v of secretValues) {
    if (v === '') continue;
    forms.add(v);
    forms.add(JSON.stringify(v).slice(1, -1));
  }
  let out = text;
  for (const form of [...forms].sort((a, b) => b.length - a.length)) out = out.split(form).join(MASK);
  return out;
}

/** secret value -> what it shows as (e.g. `***` and its tag). */
export type SecretMasks = ReadonlyMap<string, string>;

/**
 * `maskText` where each value shows as its own replacement. Replacements go in only after every
 * value is out (through placeholders of private-use characters), so a short secret is never
 * searched for inside the tag of another.
 */
export function maskTextAs(text: string, masks: SecretMasks): string {
  const forms = new Map<string, string>();
  for (const [v, show] of masks) {
    if (v === '') continue;
    if (!forms.has(v)) forms.set(v, show);
    const escaped = JSON.stringify(v).slice(1, -1);
    if (!forms.has(escaped)) forms.set(escaped, show);
  }
  const ordered = [...forms].sort((a, b) => b[0].length - a[0].length);
  const hold = (i: number) => `\uE000${String.fromCharCode(0xe100 + i)}\uE001`;
  let out = text;
  ordered.forEach(([form], i) => {
    out = out.split(form).join(hold(i));
  });
  ordered.forEach(([, show], i) => {
    out = out.split(hold(i)).join(show);
  });
  return out;
}

/** `maskText` applied to every string, keys included, of a parsed document. */
export function maskValues(value: unknown, secretValues: readonly string[]): unknown {
  if (secretValues.length === 0) return structuredClone(value);
  return mapStrings(value, (s) => maskText(s, secretValues));
}

/** `maskTextAs` applied to every string, keys included, of a parsed document. */
export function maskValuesAs(value: unknown, masks: SecretMasks): unknown {
  if (masks.size === 0) return structuredClone(value);
  return mapStrings(value, (s) => maskTextAs(s, masks));
}

function mapStrings(value: unknown, f: (s: string) => string): unknown {
  if (typeof value === 'string') return f(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, f));
  if (!isPlainObject(value)) return value;
  // fromEntries defines own properties, so a `__proto__` key stays a key.
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [f(k), mapStrings(v, f)]));
}

/** The values of the variables named secret, for `maskText` and the leak guard. */
export function secretValuesOf(variables: Record<string, string>, secretNames: readonly string[]): string[] {
  return secretNames.flatMap((n) => (Object.hasOwn(variables, n) ? [variables[n] as string] : []));
}

/** name -> digest for the secret variables a release was given (the others are not secret). */
export function secretVariableDigests(
  variables: Record<string, string>,
  secretNames: readonly string[],
  options: DigestOptions = {},
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of [...secretNames].sort()) {
    const value = variables[name];
    if (value !== undefined && Object.hasOwn(variables, name)) out[name] = secretDigest(value, options);
  }
  return out;
}
