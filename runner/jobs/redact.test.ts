import { describe, expect, it } from 'vitest';
import type { StepReport } from '../../shared/jobs/kinds';
import { redact, redactDeep, redactingSink } from './redact';

describe('redact', () => {
  it('masks every occurrence of every secret', () => {
    expect(redact('a=hunter2 b=hunter2 c=swordfish', ['hunter2', 'swordfish'])).toBe('a=*** b=*** c=***');
  });

  it('masks a secret that contains another whole, leaving no tail of the longer one', () => {
    expect(redact('token: abc-123-xyz', ['abc', 'abc-123-xyz'])).toBe('token: ***');
  });

  it('masks a secret as it reads inside a JSON string', () => {
    const secret = 'line1\nline"2';
    const json = JSON.stringify({ env: `KEY=${secret}` });
    expect(redact(json, [secret])).not.toContain('line1');
    expect(redact(json, [secret])).toContain('KEY=***');
  });

  it('ignores empty secrets (they would mask between every character)', () => {
    expect(redact('plain text', ['', 'x'.repeat(3)])).toBe('plain text');
  });

  it('walks values deeply, keys included, and keeps the structure', () => {
    const value = { out: 'pw=s3cr3t', list: [{ n: 1, t: 'x s3cr3t' }], s3cr3t: true, none: null };
    expect(redactDeep(value, ['s3cr3t'])).toEqual({
      out: 'pw=***',
      list: [{ n: 1, t: 'x ***' }],
      '***': true,
      none: null,
    });
  });

  it('a redacting sink masks output and detail of every report', () => {
    const seen: StepReport[] = [];
    const sink = redactingSink({ report: (s) => seen.push(s) }, ['s3cr3t']);
    sink.report({
      name: 'compose.up.h1',
      attempt: 1,
      status: 'failed',
      output: 'echo s3cr3t',
      detail: { message: 'bad s3cr3t', nested: ['s3cr3t'] },
    });
    expect(JSON.stringify(seen)).not.toContain('s3cr3t');
    expect(seen[0]?.output).toBe('echo ***');
  });

  it('a redacting sink keeps the step name and status valid, whatever a secret happens to be', () => {
    const seen: StepReport[] = [];
    redactingSink({ report: (s) => seen.push(s) }, ['compose', 'failed']).report({
      name: 'compose.up.h1',
      attempt: 1,
      status: 'failed',
      output: 'compose failed',
    });
    expect(seen[0]).toMatchObject({ name: 'compose.up.h1', status: 'failed', output: '*** ***' });
  });
});
