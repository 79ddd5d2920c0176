/**
 * The exact command lines of both compose dialects. v1 also runs for real in adapter.integ.test.ts; v2
 * (the `docker compose` plugin) is what most production hosts have, so its lines are pinned here.
 */
import { describe, expect, it } from 'vitest';
import * as cmd from './commands';

const v2: cmd.ComposeTarget = { dialect: 'v2', project: 'shop-web_1', file: cmd.composeFile('shop-web_1') };
const v1: cmd.ComposeTarget = { ...v2, dialect: 'v1' };
const FILE = '.k8s-manage/compose/shop-web_1/docker-compose.yml';

describe('compose command lines', () => {
  it('keeps the file under the login home, per project', () => {
    expect(cmd.composeDir('shop-web_1')).toBe('.k8s-manage/compose/shop-web_1');
    expect(cmd.composeFile('shop-web_1')).toBe(FILE);
    expect(cmd.makeDir('shop-web_1')).toEqual(['mkdir', '-p', '.k8s-manage/compose/shop-web_1']);
  });

  it('probes each dialect', () => {
    expect(cmd.versionProbe('v2')).toEqual(['docker', 'compose', 'version']);
    expect(cmd.versionProbe('v1')).toEqual(['docker-compose', 'version']);
  });

  it.each([
    ['v2', v2, ['docker', 'compose', '-p', 'shop-web_1', '-f', FILE]],
    ['v1', v1, ['docker-compose', '-p', 'shop-web_1', '-f', FILE]],
  ] as const)('%s: the project name verbatim and the one file, on every command', (_, t, base) => {
    expect(cmd.configCheck(t)).toEqual([...base, 'config', '-q']);
    expect(cmd.pull(t)).toEqual([...base, 'pull']);
    expect(cmd.up(t)).toEqual([...base, 'up', '-d', '--remove-orphans']);
    // recreate: removes the containers (and orphans) but keeps the volumes (no -v)
    expect(cmd.down(t)).toEqual([...base, 'down', '--remove-orphans']);
    expect(cmd.logs(t, 50)).toEqual([...base, 'logs', '--no-color', '--tail', '50']);
  });

  it('v2 lists all containers (exited ones too) as JSON', () => {
    expect(cmd.ps(v2)).toEqual([
      'docker',
      'compose',
      '-p',
      'shop-web_1',
      '-f',
      FILE,
      'ps',
      '--all',
      '--format',
      'json',
    ]);
  });

  it('v1 lists container ids, and inspect reads only the fields shown, never the environment', () => {
    expect(cmd.ps(v1)).toEqual(['docker-compose', '-p', 'shop-web_1', '-f', FILE, 'ps', '-q']);
    const argv = cmd.inspect(['abc123', 'def456']);
    expect(argv.slice(0, 5)).toEqual(['docker', 'inspect', '--type', 'container', '--format']);
    expect(argv.slice(6)).toEqual(['abc123', 'def456']);
    const template = argv[5]!;
    expect(template).toBe(cmd.INSPECT_TEMPLATE);
    expect(template).not.toMatch(/Env|\{\{json \.\}\}|\.Config\}\}/);
    for (const field of [
      '.Name',
      '.Config.Image',
      '.State.Status',
      '.State.Health.Status',
      '.State.ExitCode',
    ]) {
      expect(template).toContain(field);
    }
    expect(template).toContain('"com.docker.compose.service"');
  });

  it('reads containers and logs through the docker CLI, the project and names as arguments, never in the script', () => {
    expect(cmd.containers('shop-web_1')).toEqual([
      'sh',
      '-c',
      cmd.CONTAINERS_SCRIPT,
      'sh',
      'shop-web_1',
      cmd.INSPECT_TEMPLATE,
    ]);
    expect(cmd.CONTAINERS_SCRIPT).toContain('label=com.docker.compose.project=$1');
    expect(cmd.CONTAINERS_SCRIPT).toContain('label=com.docker.compose.oneoff=False');
    expect(cmd.containerLogs(['a_web_1', 'a_db_1'], 20)).toEqual([
      'sh',
      '-c',
      cmd.CONTAINER_LOGS_SCRIPT,
      'sh',
      '20',
      'a_web_1',
      'a_db_1',
    ]);
    expect(cmd.pullImage('r:5000/web:v1')).toEqual(['docker', 'pull', '-q', 'r:5000/web:v1']);
    expect(cmd.hasImage('web@sha256:x')).toEqual([
      'docker',
      'image',
      'inspect',
      '--format',
      '{{.Id}}',
      'web@sha256:x',
    ]);
  });
});
