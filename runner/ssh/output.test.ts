import { describe, expect, it } from 'vitest';
import { killableArgv, PidLineFilter, TailBuffer } from './output';

const filtered = (chunks: string[]) => {
  const out = new TailBuffer(1024);
  const f = new PidLineFilter(out);
  const seen: number[] = [];
  f.onPid = (pid) => seen.push(pid);
  for (const c of chunks) f.push(Buffer.from(c));
  f.flush();
  return { pid: f.pid, seen, text: out.text() };
};

describe('PidLineFilter', () => {
  it('takes the pid line out even when it arrives in pieces', () => {
    expect(filtered(['k8s-manage-exec-', 'pid=42', '\nwarning: x\n'])).toEqual({
      pid: 42,
      seen: [42],
      text: 'warning: x\n',
    });
  });

  it('keeps what a login script printed before it, and everything after', () => {
    expect(filtered(['motd line\nk8s-manage-exec-pid=7\nerr k8s-manage-exec-pid=8\n'])).toEqual({
      pid: 7,
      seen: [7],
      text: 'motd line\nerr k8s-manage-exec-pid=8\n',
    });
  });

  it('passes stderr through untouched when no pid line comes', () => {
    expect(filtered(['plain ', 'stderr'])).toEqual({ pid: null, seen: [], text: 'plain stderr' });
  });
});

describe('TailBuffer', () => {
  it('keeps the last bytes up to its cap', () => {
    const b = new TailBuffer(10);
    for (let i = 0; i < 10; i++) b.push(Buffer.from(`chunk${i};`));
    expect(b.text()).toBe('k8;chunk9;');
  });
});

describe('killableArgv', () => {
  it('refuses an empty command and keeps the argv as separate arguments', () => {
    expect(() => killableArgv([])).toThrow(TypeError);
    expect(killableArgv(['docker', 'ps']).slice(-3)).toEqual(['sh', 'docker', 'ps']);
  });
});
