import { describe, expect, it } from 'vitest';
import { createLogger, redact } from './logger';

describe('logger', () => {
  it('redacts values under secret-looking keys at any depth', () => {
    const out = redact({
      user: 'ops',
      password: 'hunter2hunter2',
      nested: { kubeconfig: 'apiVersion: v1', list: [{ private_key: 'k', ok: 1 }] },
      headers: { Authorization: 'Bearer abc' },
      access_token: 'eyJ...',
    }) as any;
    expect(out.password).toBe('[redacted]');
    expect(out.nested.kubeconfig).toBe('[redacted]');
    expect(out.nested.list[0]).toEqual({ private_key: '[redacted]', ok: 1 });
    expect(out.headers.Authorization).toBe('[redacted]');
    expect(out.access_token).toBe('[redacted]');
    expect(out.user).toBe('ops');
  });

  it('redacts bearer tokens, JWTs and PEM blocks inside free text', () => {
    const lines: string[] = [];
    const log = createLogger('info', (l) => lines.push(l));
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c3JfMSJ9.c2lnbmF0dXJlc2lnbmF0dXJl';
    log.info(`got Bearer ${jwt} and -----BEGIN PRIVATE KEY-----\nMIIEv\n-----END PRIVATE KEY-----`, {
      note: `token was ${jwt}`,
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain(jwt);
    expect(lines[0]).not.toContain('MIIEv');
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'info' });
  });

  it('drops entries below its level and writes nothing when silent', () => {
    const lines: string[] = [];
    createLogger('warn', (l) => lines.push(l)).info('quiet');
    createLogger('silent', (l) => lines.push(l)).error('quiet too');
    expect(lines).toEqual([]);
  });

  it('keeps child fields and redacts errors to name and message', () => {
    const lines: string[] = [];
    createLogger('debug', (l) => lines.push(l))
      .child({ request_id: 'req_1' })
      .error('boom', { err: new Error('it broke') });
    const entry = JSON.parse(lines[0]!);
    expect(entry).toMatchObject({ request_id: 'req_1', err: { name: 'Error', message: 'it broke' } });
    expect(entry.err.stack).toBeUndefined();
  });
});
