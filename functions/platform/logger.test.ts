import { DrizzleQueryError } from 'drizzle-orm/errors';
import { describe, expect, it } from 'vitest';
import { createLogger, describeError, redact } from './logger';

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

  it('reduces a database error to its name, SQLSTATE and statement keyword', () => {
    const driver = Object.assign(new Error('invalid input syntax for type integer: "hunter2"'), {
      code: '22P02',
      query: 'select * from users where id = $1',
      params: ['hunter2'],
    });
    const wrapped = new DrizzleQueryError(
      'update "users" set "name" = $1 where "id" = $2',
      ['hunter2', 'u1'],
      driver,
    );
    for (const err of [driver, wrapped]) {
      const lines: string[] = [];
      createLogger('debug', (l) => lines.push(l)).error('unhandled error', { err });
      expect(lines[0]).not.toContain('hunter2');
      expect(lines[0]).not.toMatch(/ from users| "users"/);
      expect(JSON.parse(lines[0]!).err).toEqual({
        name: 'Error',
        message: 'database error',
        sqlstate: '22P02',
        statement: err === driver ? 'select' : 'update',
      });
    }
  });

  it('finds the statement on a postgres.js error, where it is not enumerable', () => {
    const err = new Error('duplicate key value violates unique constraint "users_name_key"');
    Object.defineProperties(err, {
      name: { value: 'PostgresError' },
      code: { value: '23505', enumerable: true },
      query: { value: 'insert into users values ($1)', enumerable: false },
      parameters: { value: ['hunter2'], enumerable: false },
    });
    expect(describeError(err)).toEqual({
      name: 'PostgresError',
      message: 'database error',
      sqlstate: '23505',
      statement: 'insert',
    });
  });
});
