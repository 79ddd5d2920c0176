/**
 * Certificates for the fixture, made fresh per start with the `openssl` CLI in a temporary
 * directory that is removed before this returns: a server CA and the API server's certificate
 * (SAN IP:127.0.0.1), a client CA and a deployer's certificate signed by it, and an unrelated CA
 * with a certificate of its own, for the "wrong CA" and "foreign client certificate" cases.
 * P-256 keys: a few milliseconds each where RSA would cost a noticeable part of a test.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type Pki = {
  ca: string;
  serverCert: string;
  serverKey: string;
  clientCa: string;
  clientCert: string;
  clientKey: string;
  /** A CA that signed neither the server nor the client certificate. */
  otherCa: string;
  /** A client certificate (and key) signed by `otherCa`: well formed, not trusted by the server. */
  foreignCert: string;
  foreignKey: string;
};

export function makePki(): Pki {
  const dir = mkdtempSync(join(tmpdir(), 'k8s-fixture-pki-'));
  const at = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe', timeout: 10_000 });
  const key = (name: string) =>
    openssl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', at(`${name}.key`));
  const ca = (name: string, subject: string) => {
    key(name);
    openssl(
      ...['req', '-x509', '-new', '-key', at(`${name}.key`), '-subj', subject, '-days', '2'],
      ...['-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'],
      ...['-out', at(`${name}.crt`)],
    );
  };
  const leaf = (name: string, signer: string, subject: string, ext: string) => {
    key(name);
    writeFileSync(at(`${name}.ext`), ext);
    openssl('req', '-new', '-key', at(`${name}.key`), '-subj', subject, '-out', at(`${name}.csr`));
    openssl(
      ...[
        'x509',
        '-req',
        '-in',
        at(`${name}.csr`),
        '-CA',
        at(`${signer}.crt`),
        '-CAkey',
        at(`${signer}.key`),
      ],
      ...['-CAcreateserial', '-days', '2', '-extfile', at(`${name}.ext`), '-out', at(`${name}.crt`)],
    );
  };
  try {
    ca('ca', '/CN=fixture-cluster-ca');
    ca('client-ca', '/CN=fixture-client-ca');
    ca('other-ca', '/CN=unrelated-ca');
    leaf(
      'server',
      'ca',
      '/CN=kube-apiserver',
      'subjectAltName=IP:127.0.0.1,DNS:kubernetes.default.svc\nextendedKeyUsage=serverAuth\n',
    );
    const clientExt = 'extendedKeyUsage=clientAuth\n';
    leaf('client', 'client-ca', '/O=deployers/CN=k8s-manage-deployer', clientExt);
    leaf('foreign', 'other-ca', '/O=system:masters/CN=intruder', clientExt);
    const read = (name: string) => readFileSync(at(name), 'utf8');
    return {
      ca: read('ca.crt'),
      serverCert: read('server.crt'),
      serverKey: read('server.key'),
      clientCa: read('client-ca.crt'),
      clientCert: read('client.crt'),
      clientKey: read('client.key'),
      otherCa: read('other-ca.crt'),
      foreignCert: read('foreign.crt'),
      foreignKey: read('foreign.key'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
