import { describe, expect, it } from 'vitest';
import { parseRunnerArgs } from './config';

describe('runner arguments', () => {
  it('accepts an https origin and plain http on loopback only', () => {
    expect(parseRunnerArgs(['--api', 'https://deploy.example.com', '--state-dir', '/tmp/r']).api).toBe(
      'https://deploy.example.com',
    );
    expect(parseRunnerArgs(['--api', 'http://127.0.0.1:8080', '--state-dir', 'd']).concurrency).toBe(4);
    expect(() => parseRunnerArgs(['--api', 'http://deploy.example.com', '--state-dir', 'd'])).toThrow(
      /--api: must be https/,
    );
    expect(() => parseRunnerArgs(['--api', 'https://x.example.com/api/v1', '--state-dir', 'd'])).toThrow(
      /origin only/,
    );
  });

  it('names a missing value and a missing state directory', () => {
    expect(() => parseRunnerArgs(['--api'])).toThrow('--api needs a value');
    expect(() => parseRunnerArgs(['--api', 'https://x.example.com'])).toThrow(/--stateDir/);
  });
});
