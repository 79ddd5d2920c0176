import { afterEach, describe, expect, it, vi } from 'vitest';
import { peerAvailable, which } from './require';

describe('peerAvailable', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('finds binaries on PATH, in sbin, or by absolute path', () => {
    expect(peerAvailable(['sh'])).toBe(true);
    expect(peerAvailable([process.execPath])).toBe(true);
    expect(which('sh')).toMatch(/^\/.*\/sh$/);
  });

  it('skips outside CI when a binary is missing', () => {
    vi.stubEnv('CI', '');
    expect(peerAvailable(['sh', 'no-such-peer-binary-x1'])).toBe(false);
  });

  it('throws under CI, naming every missing binary', () => {
    vi.stubEnv('CI', 'true');
    expect(() => peerAvailable(['sh', 'no-such-peer-binary-x1', '/nonexistent/x2'])).toThrow(
      /no-such-peer-binary-x1, \/nonexistent\/x2/,
    );
  });
});
