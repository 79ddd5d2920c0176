import { createPrivateKey, type KeyObject, X509Certificate } from 'node:crypto';
import { type CertInfo, type Findings, sizedString } from './guard-core';

/** PEM certificates, private keys and bearer tokens, checked without ever echoing their content. */
const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n[\s\S]*?-----END \1-----/g;

export const dn = (name: string) => name.split('\n').join(', ');
export const certInfo = (c: X509Certificate): CertInfo => ({
  subject: dn(c.subject),
  issuer: dn(c.issuer),
  not_before: new Date(c.validFrom).toISOString(),
  not_after: new Date(c.validTo).toISOString(),
  fingerprint: `SHA256:${c.fingerprint256}`,
});

/** One or more certificates (a bundle, or a leaf and its chain); expiry is a warning, not an error. */
export function parseCertificates(f: Findings, pem: string, path: string): X509Certificate[] | undefined {
  const blocks = [...pem.matchAll(PEM_BLOCK)];
  if (!blocks.length) return void f.error(path, 'must hold a PEM certificate');
  if (blocks.some((b) => b[1] !== 'CERTIFICATE')) return void f.error(path, 'must hold certificates only');
  const certs: X509Certificate[] = [];
  for (const [block] of blocks) {
    try {
      certs.push(new X509Certificate(block));
    } catch {
      return void f.error(path, 'holds a certificate that does not parse');
    }
  }
  for (const c of certs) {
    const info = certInfo(c);
    if (new Date(c.validTo) < f.now) f.warn(path, `a certificate expired at ${info.not_after}`);
    else if (new Date(c.validFrom) > f.now)
      f.warn(path, `a certificate is not valid before ${info.not_before}`);
  }
  return certs;
}

export function parsePrivateKey(
  f: Findings,
  pem: string,
  path: string,
): { key: KeyObject; pem: string } | undefined {
  // `openssl ecparam -genkey` writes the curve's parameters before the key; they add nothing.
  const blocks = [...pem.matchAll(PEM_BLOCK)].filter((b) => b[1] !== 'EC PARAMETERS');
  const block = blocks[0];
  if (blocks.length !== 1 || !block || !/^(RSA |EC |ENCRYPTED )?PRIVATE KEY$/.test(block[1]!)) {
    return void f.error(path, 'must hold exactly one PEM private key');
  }
  if (block[1] === 'ENCRYPTED PRIVATE KEY' || /Proc-Type: *4,ENCRYPTED/.test(block[0])) {
    return void f.error(path, 'must not be encrypted: a cluster client cannot ask for a passphrase');
  }
  try {
    return { key: createPrivateKey(block[0]), pem: `${block[0]}\n` };
  } catch {
    return void f.error(path, 'holds a private key that does not parse');
  }
}

/** The client certificate (leaf first) and its key; the key must be the certificate's. */
export function clientCertificate(
  f: Findings,
  certPem: string,
  certPath: string,
  keyPem: string,
  keyPath: string,
) {
  const certs = parseCertificates(f, certPem, certPath);
  const key = parsePrivateKey(f, keyPem, keyPath);
  const leaf = certs?.[0];
  if (!leaf || !key) return;
  if (!leaf.checkPrivateKey(key.key))
    return void f.error(keyPath, 'does not belong to the client certificate');
  return { info: certInfo(leaf), cert_pem: certs.map((c) => c.toString()).join(''), key_pem: key.pem };
}

export function checkToken(f: Findings, value: unknown, path: string): string | undefined {
  const token = sizedString(f, value, path);
  if (token === undefined) return;
  // A newline or space would split the Authorization header; a pasted token often ends with one.
  if (!/^[\x21-\x7e]+$/.test(token))
    return void f.error(path, 'must be printable ASCII without spaces or newlines');
  return token;
}

export function caBundle(f: Findings, value: unknown, path: string) {
  const pem = sizedString(f, value, path);
  const certs = pem === undefined ? undefined : parseCertificates(f, pem, path);
  return certs && { pem: certs.map((c) => c.toString()).join(''), subject: dn(certs[0]!.subject) };
}

/**
 * A CA bundle with a client certificate and its key: a cluster's cert set, or a stored `cert_set`
 * credential. `at` names where each part was given.
 */
export function certSet(
  f: Findings,
  given: { ca: unknown; cert: unknown; key: unknown },
  at: { ca: string; cert: string; key: string },
) {
  const ca = caBundle(f, given.ca, at.ca);
  const cert = sizedString(f, given.cert, at.cert);
  const key = sizedString(f, given.key, at.key);
  const pair =
    cert !== undefined && key !== undefined ? clientCertificate(f, cert, at.cert, key, at.key) : undefined;
  return ca && pair ? { ca, pair } : undefined;
}
