import { describe, expect, it } from 'vitest';
import { assess, parseInspect, parsePsJson, type ServiceState } from './status';

const svc = (over: Partial<ServiceState>): ServiceState => ({
  name: 'web',
  container: 'p-web-1',
  image: 'r/app:v1',
  state: 'running',
  health: null,
  exit_code: 0,
  ...over,
});

describe('container listings', () => {
  const entry = {
    ID: 'abc',
    Name: 'p-web-1',
    Image: 'r/app:v1',
    Service: 'web',
    State: 'running',
    Health: 'healthy',
    ExitCode: 0,
    Labels: 'secret.label=do-not-copy',
    Command: '"sh -c \'echo do-not-copy\'"',
  };
  const expected = [svc({ health: 'healthy' })];

  it('reads compose v2 JSON as one array (before 2.21) and as one object per line (since)', () => {
    expect(parsePsJson(JSON.stringify([entry]))).toEqual(expected);
    const db = { ...entry, Name: 'p-db-1', Service: 'db', State: 'exited', Health: '', ExitCode: 3 };
    const lines = `${JSON.stringify(entry)}\n${JSON.stringify(db)}\n`;
    expect(parsePsJson(lines)).toEqual([
      svc({ name: 'db', container: 'p-db-1', state: 'exited', exit_code: 3 }),
      ...expected,
    ]);
    expect(JSON.stringify(parsePsJson(lines))).not.toContain('do-not-copy');
    expect(parsePsJson('')).toEqual([]);
  });

  it('reads the inspect template lines of v1', () => {
    const line = (o: object) => JSON.stringify(o);
    const text = [
      line({
        name: '/p_web_1',
        image: 'r/app:v2',
        status: 'running',
        health: null,
        exit_code: 0,
        service: 'web',
      }),
      line({
        name: '/p_job_1',
        image: 'r/app:v2',
        status: 'exited',
        health: 'unhealthy',
        exit_code: 1,
        service: 'job',
      }),
    ].join('\n');
    expect(parseInspect(text)).toEqual([
      svc({
        name: 'job',
        container: 'p_job_1',
        image: 'r/app:v2',
        state: 'exited',
        health: 'unhealthy',
        exit_code: 1,
      }),
      svc({ container: 'p_web_1', image: 'r/app:v2' }),
    ]);
  });
});

describe('assess', () => {
  it('is ready when every container runs and every healthcheck passes', () => {
    expect(assess([svc({}), svc({ name: 'db', health: 'healthy' })]).kind).toBe('ready');
  });

  it('waits while containers are created or health is starting, and for an empty project', () => {
    expect(assess([svc({}), svc({ name: 'db', health: 'starting' })]).kind).toBe('pending');
    expect(assess([svc({ state: 'created' })]).kind).toBe('pending');
    expect(assess([]).kind).toBe('pending');
  });

  it('fails at once on a non-zero exit, naming the container', () => {
    const v = assess([svc({}), svc({ name: 'job', state: 'exited', exit_code: 2 })]);
    expect(v).toMatchObject({ kind: 'crashed', culprit: { name: 'job', exit_code: 2 } });
  });

  it('counts a clean exit, a restart loop and an unhealthy container as broken', () => {
    expect(assess([svc({ state: 'exited', exit_code: 0 })]).kind).toBe('broken');
    expect(assess([svc({ state: 'restarting', exit_code: 1 })]).kind).toBe('broken');
    expect(assess([svc({ health: 'unhealthy' })]).kind).toBe('broken');
  });
});
