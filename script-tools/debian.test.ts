import { describe, expect, it } from 'vitest';
import { dependsOf, GLIBC } from './debian';

describe('Debian package metadata', () => {
  it('reads package names from a Depends field, the first of alternatives, without versions or arch', () => {
    expect(
      dependsOf(
        'iproute2, libc6 (>= 2.34), libglib2.0-0 (>= 2.26.0), libmnl0 (>= 1.0.3-4~), perl:any | perl-base, libssl3',
      ),
    ).toEqual(['iproute2', 'libc6', 'libglib2.0-0', 'libmnl0', 'perl', 'libssl3']);
    expect(dependsOf('')).toEqual([]);
  });

  it('leaves glibc’s libraries to the host and ships every other', () => {
    for (const l of [
      'libc.so.6',
      'libm.so.6',
      'ld-linux-x86-64.so.2',
      'libpthread.so.0',
      'libdl.so.2',
      'librt.so.1',
      'libresolv.so.2',
    ])
      expect(GLIBC.test(l), l).toBe(true);
    for (const l of [
      'libcrypt.so.1',
      'libcap.so.2',
      'libcom_err.so.2',
      'libmnl.so.0',
      'libnsl.so.2',
      'libcrypto.so.3',
    ])
      expect(GLIBC.test(l), l).toBe(false);
  });
});
