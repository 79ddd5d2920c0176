/**
 * A platform-managed cluster's certificates: their expiry as `kubeadm certs check-expiration`
 * reports it for admin.conf (read after `kubeadm init`, kept by the platform on the cluster), and
 * the `cert_renew` task: `kubeadm certs renew all` on the first control plane, whose new admin.conf
 * goes back to the platform, once, to be sealed again in place of the old one.
 */
import { StepError } from '../jobs/steps';
import { type HostJob, type HostOutcome, runHostFlow } from './host';
import { TIMEOUTS } from './remote';
import type { InstallConnect } from './types';

const kubeadm = (job: HostJob) => `${job.paths.root}/usr/local/bin/kubeadm`;
const rootfs = (job: HostJob) => (job.paths.prefix === '/' ? [] : [`--rootfs=${job.paths.prefix}`]);

/** `admin.conf   Dec 07, 2027 22:00 UTC   364d …` → ISO time; null when there is no such line. */
export function adminExpiry(out: string): string | null {
  const m = /^admin\.conf\s+([A-Z][a-z]{2} \d{2}, \d{4} \d{2}:\d{2} UTC)/m.exec(out);
  const at = m ? Date.parse(m[1]!) : Number.NaN;
  return Number.isNaN(at) ? null : new Date(at).toISOString();
}

/** When admin.conf's certificate expires; null when kubeadm cannot say (the install goes on). */
export async function readCertExpiry(job: HostJob): Promise<string | null> {
  const kc = `${job.paths.root}/etc/kubernetes/admin.conf`;
  const r = await job.r.exec([kubeadm(job), 'certs', 'check-expiration', '--kubeconfig', kc, ...rootfs(job)]);
  return r.code === 0 ? adminExpiry(r.stdout) : null;
}

/** Reads admin.conf, registering its secrets before anything else can print them. */
export async function readAdminConf(job: HostJob, secretsOf: (text: string) => string[]): Promise<string> {
  const conf = await job.r.exec(['cat', '--', `${job.paths.root}/etc/kubernetes/admin.conf`]);
  if (conf.code !== 0)
    throw new StepError(
      'COMMAND_FAILED',
      `no admin.conf on ${job.host.name}: is it the cluster's control plane?`,
    );
  job.secrets.push(...secretsOf(conf.stdout));
  return conf.stdout;
}

/** One host of a `cert_renew` task: connect, then renew (`certs.renew.<host>`). */
export async function renewCertsHost(
  job: HostJob,
  connect: InstallConnect,
  secretsOf: (text: string) => string[],
): Promise<HostOutcome & { certExpiresAt?: string | null }> {
  const out: HostOutcome & { certExpiresAt?: string | null } = { result: job.result };
  return runHostFlow(job, out, async () => {
    await job.connect(connect, async () => undefined);
    // The old credentials are secrets until the platform has sealed the new ones.
    await readAdminConf(job, secretsOf);
    const renewed = await job.step(
      'renew',
      async () => {
        const r = await job.r.must(
          [kubeadm(job), 'certs', 'renew', 'all', ...rootfs(job)],
          'COMMAND_FAILED',
          TIMEOUTS.hook,
        );
        const kubeconfig = await readAdminConf(job, secretsOf);
        const expires = await readCertExpiry(job);
        return { output: job.r.redact(`${r.stdout}${r.stderr}`), kubeconfig, expires };
      },
      (v) => ({ output: v.output, detail: { cert_expires_at: v.expires } }),
    );
    out.kubeconfig = renewed.kubeconfig;
    out.certExpiresAt = renewed.expires;
  });
}
