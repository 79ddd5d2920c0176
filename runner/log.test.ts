import { describe, expect, it } from 'vitest';
import { Logger } from './log';

const capture = () => {
  const lines: string[] = [];
  return { lines, log: new Logger((l) => void lines.push(l)) };
};

describe('runner log', () => {
  it('writes one JSON object per line with ts, level, msg and the context fields', () => {
    const { lines, log } = capture();
    log.child({ job_id: 'job_1', kind: 'host_test' }).warn('heartbeat failed', { failures: 2 });
    log.debug('not shown at the default level');
    expect(lines).toHaveLength(1);
    expect(lines[0]!.endsWith('\n')).toBe(true);
    expect(JSON.parse(lines[0]!)).toEqual({
      ts: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      level: 'warn',
      msg: 'heartbeat failed',
      job_id: 'job_1',
      kind: 'host_test',
      failures: 2,
    });
  });

  it('masks registered secrets anywhere in a line, a PEM with newlines included', () => {
    const { lines, log } = capture();
    const pem = '-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VuBCIEIA\n-----END PRIVATE KEY-----';
    log.redactor.add('rt_runner_token_value', pem, 'abc');
    log.error('call failed for rt_runner_token_value', {
      nested: { list: [`key: ${pem}`] },
      text: JSON.stringify({ pem }),
      short: 'abc',
    });
    expect(lines[0]).not.toContain('rt_runner_token_value');
    expect(lines[0]).not.toContain('MC4CAQAwBQYDK2VuBCIEIA');
    expect(JSON.parse(lines[0]!)).toMatchObject({
      msg: 'call failed for ***',
      nested: { list: ['key: ***'] },
      text: '{"pem":"***"}',
      short: 'abc',
    });
  });

  it('masks strings under secret-sounding keys even when never registered', () => {
    const { lines, log } = capture();
    log.info('x', { runner_token: 'rt_zzz', headers: { authorization: 'Bearer q' }, lease_token: 7 });
    expect(JSON.parse(lines[0]!)).toMatchObject({
      runner_token: '***',
      headers: { authorization: '***' },
      lease_token: 7,
    });
  });

  it("keeps a job's secrets to that job's logger, on top of the process's", () => {
    const { lines, log } = capture();
    log.redactor.add('process-secret');
    const job = log.child({ job_id: 'j' }, log.redactor.derive());
    job.redactor.add('job-secret-1');
    job.info('job-secret-1 process-secret');
    log.info('job-secret-1 process-secret');
    expect(lines.map((l) => JSON.parse(l).msg)).toEqual(['*** ***', 'job-secret-1 ***']);
    // Reports keep keys that merely sound secret: only values are masked there.
    expect(job.redactor.value({ key: 'Secret/app/password', out: 'job-secret-1' })).toEqual({
      key: 'Secret/app/password',
      out: '***',
    });
  });
});
