/**
 * Joining k8s hosts to the cluster the first control plane initialised. The bootstrap token and CA
 * hash exist only on that host and in this job's memory: they are added to the job's secrets the
 * moment they are read, so every step output, error and diagnostic masks them, and they reach the
 * joining host in a file only it can read, removed as soon as `kubeadm join` has read it (never on
 * a command line, where any process of the host could see it).
 */
import type { K8sRole } from '../../shared/install/work';
import { StepError } from '../jobs/steps';
import type { HostJob } from './host';
import { TIMEOUTS } from './remote';

export type JoinInfo = {
  /** `HOST:PORT` of the first control plane's API server. */
  endpoint: string;
  token: string;
  /** `sha256:<hex>` of the cluster CA's public key. */
  caHash: string;
  /** Only when another control plane joins: the key of the certificates uploaded for it. */
  certificateKey: string | null;
};

const kubeadm = (job: HostJob) => `${job.paths.root}/usr/local/bin/kubeadm`;
const rootfs = (job: HostJob) => (job.paths.prefix === '/' ? [] : [`--rootfs=${job.paths.prefix}`]);

const JOIN_LINE =
  /kubeadm join (\S+) --token ([a-z0-9]{6}\.[a-z0-9]{16}) --discovery-token-ca-cert-hash (sha256:[0-9a-f]{64})/;

/** A loopback endpoint (what a single-node kubeconfig names) is useless to another host. */
function reachable(endpoint: string, job: HostJob): string {
  const host = endpoint.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host === '::1' || host.startsWith('127.')) {
    const port = /:(\d+)$/.exec(endpoint)?.[1] ?? '6443';
    const a = job.host.address;
    return `${a.includes(':') ? `[${a}]` : a}:${port}`;
  }
  return endpoint;
}

/** On the first control plane: a fresh bootstrap token, the CA hash and, if needed, a certificate key. */
export async function createJoin(job: HostJob, controlPlanesJoin: boolean): Promise<JoinInfo> {
  return job.step(
    'join_token',
    async () => {
      const kc = `${job.paths.root}/etc/kubernetes/admin.conf`;
      const r = await job.r.exec(
        [kubeadm(job), 'token', 'create', '--print-join-command', '--kubeconfig', kc, ...rootfs(job)],
        TIMEOUTS.check,
      );
      const m = JOIN_LINE.exec(r.stdout);
      // Registered before anything else happens with the output, even on failure.
      if (m) job.secrets.push(m[0], m[2]!, m[3]!);
      if (r.code !== 0 || !m)
        throw new StepError(
          'COMMAND_FAILED',
          `kubeadm token create on ${job.host.name} gave no join command`,
          { output: job.r.redact(`${r.stdout}${r.stderr}`).slice(-2000), detail: { exit_code: r.code } },
        );
      let certificateKey: string | null = null;
      if (controlPlanesJoin) {
        const c = await job.r.exec(
          [
            kubeadm(job),
            'init',
            'phase',
            'upload-certs',
            '--upload-certs',
            '--kubeconfig',
            kc,
            ...rootfs(job),
          ],
          TIMEOUTS.check,
        );
        certificateKey = /^([0-9a-f]{64})\s*$/m.exec(c.stdout)?.[1] ?? null;
        if (certificateKey) job.secrets.push(certificateKey);
        if (c.code !== 0 || !certificateKey)
          throw new StepError('COMMAND_FAILED', `kubeadm upload-certs on ${job.host.name} gave no key`, {
            output: job.r.redact(`${c.stdout}${c.stderr}`).slice(-2000),
          });
      }
      return { endpoint: reachable(m[1]!, job), token: m[2]!, caHash: m[3]!, certificateKey };
    },
    (j) => ({
      output: `bootstrap token created for the hosts that join ${j.endpoint} (token and CA hash masked)`,
      detail: { endpoint: j.endpoint },
    }),
  );
}

/** kubeadm's JoinConfiguration: values quoted, so none can start a YAML construct of its own. */
export function joinConfiguration(j: JoinInfo, role: K8sRole): string {
  const q = (v: string) => JSON.stringify(v);
  return [
    'apiVersion: kubeadm.k8s.io/v1beta3',
    'kind: JoinConfiguration',
    'discovery:',
    '  bootstrapToken:',
    `    apiServerEndpoint: ${q(j.endpoint)}`,
    `    token: ${q(j.token)}`,
    '    caCertHashes:',
    `    - ${q(j.caHash)}`,
    ...(role === 'control-plane' && j.certificateKey
      ? ['controlPlane:', `  certificateKey: ${q(j.certificateKey)}`]
      : []),
    '',
  ].join('\n');
}

/** On a worker or further control plane, after its own steps: `kubeadm join`, once (marker `join`). */
export async function joinStep(job: HostJob, j: JoinInfo, role: K8sRole): Promise<void> {
  job.current = 'join';
  if ((await job.markers()).has('join')) {
    job.skip('join', 'done in an earlier attempt');
    return;
  }
  await job.step(
    'join',
    async () => {
      const file = `${job.paths.state}/join.yaml`;
      await job.r.upload({ path: '', content: Buffer.from(joinConfiguration(j, role)) }, file, 0o600);
      try {
        const r = await job.r.must(
          [kubeadm(job), 'join', '--config', file, ...rootfs(job)],
          'COMMAND_FAILED',
          TIMEOUTS.hook,
        );
        await job.mark('join', j.endpoint);
        return job.r.redact(`${r.stdout}${r.stderr}`);
      } finally {
        await job.r.exec(['rm', '-f', '--', file]).catch(() => undefined);
      }
    },
    (output) => ({ output, detail: { endpoint: j.endpoint, role } }),
  );
}
