import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FINGERPRINT } from '../../shared/jobs/claim';
import { peerAvailable } from '../../test/peers/require';
import { fingerprintOf } from './fingerprint';

const dir = mkdtempSync(join(tmpdir(), 'fingerprint-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!peerAvailable(['ssh-keygen']))('fingerprintOf', () => {
  it.each([
    ['ed25519', []],
    ['rsa', ['-b', '2048']],
    ['ecdsa', ['-b', '256']],
  ])('prints what ssh-keygen -lf prints for a %s key', (type, extra) => {
    const path = join(dir, type);
    execFileSync('ssh-keygen', ['-q', '-t', type, ...extra, '-N', '', '-f', path], { timeout: 30_000 });
    const blob = Buffer.from(readFileSync(`${path}.pub`, 'utf8').split(' ')[1]!, 'base64');
    const printed = execFileSync('ssh-keygen', ['-lf', `${path}.pub`], { timeout: 10_000 })
      .toString()
      .split(' ')[1];
    const fp = fingerprintOf(blob);
    expect(fp).toBe(printed);
    expect(fp).toMatch(FINGERPRINT);
  });
});
