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

  it('reads name, labels, grace period and --once, with defaults', () => {
    const base = ['--api', 'https://x.example.com', '--state-dir', 'd'];
    expect(parseRunnerArgs(base)).toMatchObject({ labels: {}, graceSeconds: 60, once: false });
    expect(parseRunnerArgs(base).name).toBeUndefined();
    expect(
      parseRunnerArgs([
        ...base,
        '--once',
        '--name',
        'edge-1',
        '--labels',
        'zone=eu-1, tier = web,empty=',
        '--grace-seconds',
        '5',
        '--concurrency',
        '2',
      ]),
    ).toMatchObject({
      once: true,
      name: 'edge-1',
      labels: { zone: 'eu-1', tier: 'web', empty: '' },
      graceSeconds: 5,
      concurrency: 2,
    });
    expect(() => parseRunnerArgs([...base, '--labels', 'zone'])).toThrow(
      /--labels: expected unique k=v pairs/,
    );
    expect(() => parseRunnerArgs([...base, '--labels', 'a=1,a=2'])).toThrow(/unique/);
    expect(() => parseRunnerArgs([...base, '--grace-seconds', '-1'])).toThrow(/--graceSeconds/);
  });

  it('reads --bundle-dir as an absolute path, unset by default', () => {
    const base = ['--api', 'https://x.example.com', '--state-dir', 'd'];
    expect(parseRunnerArgs(base).bundleDir).toBeUndefined();
    expect(parseRunnerArgs([...base, '--bundle-dir', '/srv/bundles']).bundleDir).toBe('/srv/bundles');
    expect(parseRunnerArgs([...base, '--bundle-dir', 'script']).bundleDir).toBe(`${process.cwd()}/script`);
    expect(() => parseRunnerArgs([...base, '--bundle-dir'])).toThrow('--bundle-dir needs a value');
  });

  it('refuses unknown options and stray values without echoing them', () => {
    const base = ['--api', 'https://x.example.com', '--state-dir', 'd'];
    expect(() => parseRunnerArgs([...base, '--concurency', '2'])).toThrow('unknown option --concurency');
    const stray = 'reg_pasted_in_the_wrong_place';
    expect(() => parseRunnerArgs([...base, stray])).toThrow(/^unexpected argument at position 5/);
    expect(() => parseRunnerArgs([...base, stray])).not.toThrow(stray);
    const inline = `--registration-token=${stray}`;
    expect(() => parseRunnerArgs([...base, inline])).toThrow('write --registration-token <value>');
    expect(() => parseRunnerArgs([...base, inline])).not.toThrow(stray);
  });
});
