import { describe, expect, it } from 'vitest';
import type { TargetStatusWork } from '../../shared/jobs/target-status';
import { connector, host, hostId, recorder } from '../../test/support/compose';
import { containers } from '../compose/commands';
import type { ExecResult, RemoteShell } from '../ssh/types';
import { readComposeStatus } from './compose';

/**
 * The v2 path (`docker compose`), which no host here has: a scripted shell answers the version
 * probe and the docker CLI listing (`containers`, the same for both dialects) with one JSON object
 * per container, as the inspect template prints it.
 */
const H = hostId(1);
const PS = [
  {
    service: 'web',
    name: '/shop-web-1',
    image: 'reg/web:2',
    status: 'running',
    health: 'healthy',
    exit_code: 0,
  },
  {
    service: 'worker',
    name: '/shop-worker-1',
    image: 'reg/web:2',
    status: 'exited',
    health: null,
    exit_code: 137,
  },
]
  .map((c) => JSON.stringify({ ...c, labels: 'secret=do-not-pass-on' }))
  .join('\n');

function scripted(): RemoteShell & { calls: string[][] } {
  const calls: string[][] = [];
  const answer = (stdout: string, code = 0): ExecResult => ({ code, signal: null, stdout, stderr: '' });
  return {
    calls,
    async exec(argv) {
      calls.push(argv);
      if (argv.join(' ') === 'docker compose version') return answer('Docker Compose version v2.29.1\n');
      if (argv.join(' ') === containers('shop').join(' ')) return answer(PS);
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
  it('probes the dialect, then lists the containers through the docker CLI, taking only the named fields', async () => {
    const shell = scripted();
    const { ctx } = recorder();
    const report = await readComposeStatus(work, ctx, connector({ [H]: shell }).connect);
    expect(shell.calls).toEqual([['docker', 'compose', 'version'], containers('shop')]);
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
