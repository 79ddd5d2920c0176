import { describe, expect, it } from 'vitest';
import { stringProblem, wellFormed } from '../../../shared/strings';
import { hostileStrings } from './request-guard';

describe('the string rule', () => {
  it('refuses NUL and unpaired surrogates anywhere in a string', () => {
    expect(stringProblem('a\u0000')).toBe('must not contain NUL characters');
    for (const s of ['\udfff', 'x\ud800', '\ud800x', '\ude00\ud83d'])
      expect(stringProblem(s), JSON.stringify(s)).toBe('must not contain unpaired surrogates');
  });

  it('accepts surrogate pairs and other control characters', () => {
    expect(stringProblem('rocket \ud83d\ude80')).toBeNull();
    expect(stringProblem('tab\tnewline\n\u0001')).toBeNull();
  });

  it('replaces what it refuses with U+FFFD and leaves pairs alone', () => {
    expect(wellFormed('a\u0000b\udfff\ud83d\ude80')).toBe('a\uFFFDb\uFFFD\ud83d\ude80');
    expect(wellFormed('plain')).toBe('plain');
  });
});

describe('hostileStrings', () => {
  it('names every offending field by the path a schema would report', () => {
    const body = {
      name: 'ok',
      compose_file: 'a\u0000',
      variables: { TAG: '\udfff', OK: 'v' },
      host_ids: ['h1', 'h\u0000'],
      nested: { list: [{ comment: '\ud800' }] },
    };
    expect(hostileStrings(body).map((f) => f.path)).toEqual([
      'compose_file',
      'variables.TAG',
      'host_ids[1]',
      'nested.list[0].comment',
    ]);
  });

  it('names a hostile key by its own path', () => {
    expect(hostileStrings({ labels: { 'a\u0000': 'v' } })).toEqual([
      { path: 'labels.a\u0000', message: 'has a name that must not contain NUL characters' },
    ]);
  });

  it('stops at a depth no schema reaches instead of exhausting the stack', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(hostileStrings(deep)).toEqual([
      { path: expect.stringMatching(/^\[0\]/), message: 'is nested too deeply' },
    ]);
  });

  it('calls a hostile top-level string the root', () => {
    expect(hostileStrings('\u0000')).toEqual([
      { path: '(root)', message: 'must not contain NUL characters' },
    ]);
    expect(hostileStrings({ n: 1, b: true, z: null })).toEqual([]);
  });
});
