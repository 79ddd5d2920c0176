import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { peerAvailable } from '../../test/peers/require';
import { commandLine, quoteArg } from './quote';

/** A small seeded generator, so a failing case can be replayed. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const HOSTILE = [
  "'",
  '"',
  '\\',
  '$',
  '`',
  '\n',
  '\r',
  '\t',
  ' ',
  '*',
  '?',
  '[',
  ']',
  '{',
  '}',
  '~',
  '!',
  '#',
  '&',
  ';',
  '|',
  '<',
  '>',
  '(',
  ')',
  '=',
  '%',
  '-',
  '$(id)',
  '`id`',
  "'\\''",
  '$' + '{IFS}',
  'é',
  '日本',
  '\u{1F600}',
  '\x01',
  '\x7f',
  'a',
  'Z',
  '0',
];

function hostileString(next: () => number): string {
  const n = Math.floor(next() * 8);
  let s = next() < 0.2 ? '-' : '';
  for (let i = 0; i < n; i++) s += HOSTILE[Math.floor(next() * HOSTILE.length)];
  return s;
}

/** Runs the command line through a real shell and returns the argv printf received. */
function argvThrough(shell: string, argv: string[]): string[] {
  const out = execFileSync(shell, ['-c', commandLine(['printf', '%s\\0', ...argv])], { timeout: 10_000 });
  const parts = out.toString('utf8').split('\0');
  parts.pop();
  return parts;
}

describe('quoteArg', () => {
  it('leaves plain words bare and quotes everything else', () => {
    expect(quoteArg('uname')).toBe('uname');
    expect(quoteArg('/srv/app-1/docker-compose.yml')).toBe('/srv/app-1/docker-compose.yml');
    expect(quoteArg('--project-name')).toBe('--project-name');
    expect(quoteArg('')).toBe("''");
    expect(quoteArg('a b')).toBe("'a b'");
    expect(quoteArg("it's")).toBe("'it'\\''s'");
    expect(quoteArg('$HOME')).toBe("'$HOME'");
    // Bare, this would be an assignment instead of a command word.
    expect(quoteArg('A=b')).toBe("'A=b'");
    expect(quoteArg('~')).toBe("'~'");
  });

  it('refuses NUL bytes', () => {
    expect(() => quoteArg('a\0b')).toThrow(TypeError);
  });
});

describe('commandLine', () => {
  it('joins quoted arguments and refuses an empty argv or a NUL anywhere', () => {
    expect(commandLine(['docker', 'ps', '--format', '{{.Image}}'])).toBe("docker ps --format '{{.Image}}'");
    expect(() => commandLine([])).toThrow(TypeError);
    expect(() => commandLine(['echo', 'ok', 'x\0'])).toThrow(TypeError);
  });

  it('runs argv[0] as a command, not as an assignment or expansion', () => {
    const out = execFileSync('sh', ['-c', `${commandLine(['A=1'])} 2>&1 || true`], { timeout: 10_000 });
    expect(out.toString()).toMatch(/not found/);
  });

  const shells = ['sh', 'bash'].filter((s) => peerAvailable([s]));
  it.each(shells)('delivers hostile arguments intact through %s -c', (shell) => {
    const next = rng(20240607);
    const fixed = [
      '',
      ' ',
      '-n',
      '-e',
      '--',
      "'",
      "''",
      '\n',
      'a\nb',
      '$(touch /nonexistent/x)',
      '`reboot`',
      '"$@"',
      '\\',
      '\\\\n',
      '*',
      '~root',
      '!!',
    ];
    for (let round = 0; round < 60; round++) {
      const argv =
        round === 0 ? fixed : Array.from({ length: 1 + Math.floor(next() * 6) }, () => hostileString(next));
      expect(argvThrough(shell, argv)).toEqual(argv);
    }
  });
});
