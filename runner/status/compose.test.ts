import { describe, expect, it } from 'vitest';
import type { TargetStatusWork } from '../../shared/jobs/target-status';
import { connector, host, hostId, recorder } from '../../test/support/compose';
import type { ExecResult, RemoteShell } from '../ssh/types';
import { readComposeStatus } from './compose';

/**
 * The v2 path (`docker compose`), which no host here has: a scripted shell answers the version
 * probe and `ps --format json` as compose 2.21+ does (one object per line).
 */
const H = hostId(1);
const PS = [
  {
    Service: 'web',
    Name: 'shop-web-1',
    Image: 'reg/web:2',
    State: 'running',
    Health: 'healthy',
    ExitCode: 0,
  },
  {
    Service: 'worker',
    Name: 'shop-worker-1',
    Image: 'reg/web:2',
    State: 'exited',
    Health: '',
    ExitCode: 137,
  },
]
  .map((c) => JSON.stringify({ ...c, Labels: 'secret=do-not-pass-on' }))
  .join('\n');

function scripted(): RemoteShell & { calls: string[][] } {
  const calls: string[][] = [];
  const answer = (stdout: string, code = 0): ExecResult => ({ code, signal: null, stdout, stderr: '' });
  return {
    calls,
    async exec(argv) {
      calls.push(argv);
      if (argv.join(' ') === 'docker compose version') return answer('Docker Compose version v2.29.1\n');
      if (argv[0] === 'docker' && argv.includes('ps')) return answer(PS);
      return answer('', 127);
    },
    upload: async () => undefined,
    close: async () => undefined,
  };
}

const work: TargetStatusWork = {
  kind: 'target_status',
  target: { id: 'tgt_1', runtime_type: 'compose', namespace: null, compose_project: 'shop' },
  hosts: [host(H)],
  cluster: null,
};

describe('readComposeStatus with docker compose v2', () => {
  it('lists the containers from ps --all --format json, taking only the named fields', async () => {
    const shell = scripted();
    const { ctx } = recorder();
    const report = await readComposeStatus(work, ctx, connector({ [H]: shell }).connect);
    expect(shell.calls).toEqual([
      ['docker', 'compose', 'version'],
      [
        'docker',
        'compose',
        '-p',
        'shop',
        '-f',
        '.k8s-manage/compose/shop/docker-compose.yml',
        'ps',
        '--all',
        '--format',
        'json',
      ],
    ]);
    expect(report).toEqual({
      status: 'succeeded',
      result: {
        hosts: [
          {
            host_id: H,
            reachable: true,
            compose: 'v2',
            error_code: null,
            message: null,
            containers: [
              {
                service: 'web',
                container: 'shop-web-1',
                image: 'reg/web:2',
                state: 'running',
                health: 'healthy',
                exit_code: 0,
              },
              {
                service: 'worker',
                container: 'shop-worker-1',
                image: 'reg/web:2',
                state: 'exited',
                health: null,
                exit_code: 137,
              },
            ],
          },
        ],
      },
    });
    expect(JSON.stringify(report)).not.toContain('do-not-pass-on');
  });
});
