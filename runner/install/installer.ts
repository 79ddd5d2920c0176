/**
 * Install jobs: puts a runtime on bare hosts from the runner's checksummed bundle, several hosts
 * at once (at most `options.parallelism`), each host on its own: one host's failure does not stop
 * the others, and the job fails with the first failed host's code (in the order given). Uninstall
 * (and a task's rollback, the same thing) undoes what the install recorded on each host. A k8s
 * install brings up the first control plane alone (`kubeadm init`), then the other hosts, which
 * join it (join.ts). The VIP (`options.lvs_vip`) is a task of its own (action `vip`) that the
 * platform queues once the install has succeeded; it runs here too (vip.ts).
 */
import { type InstallHostResult, type InstallWork, type K8sRole, rolesOf } from '../../shared/install/work';
import type { HostAccess } from '../../shared/jobs/claim';
import type { CompleteReport } from '../../shared/jobs/kinds';
import { redactDeep, redactingSink } from '../jobs/redact';
import { type RunContext, StepError } from '../jobs/steps';
import { readCertExpiry, renewCertsHost } from './certs';
import { failHost, HostJob, type HostOutcome } from './host';
import { createJoin, type JoinInfo, joinStep } from './join';
import { buildCommand, checkLocalBundle, installable, type LocalFile } from './local';
import { defaultBundleDir } from './paths';
import { preflight } from './preflight';
import type { InstallConnect } from './types';
import { uninstallHost } from './uninstall';
import { runVipHost, VIP_RETRY } from './vip';

/** Everything that could be a secret in what a host prints: its credentials and its jump host's. */
export function secretsOf(hosts: HostAccess[]): string[] {
  return hosts
    .flatMap((h) => [h.auth, ...(h.jump ? [h.jump.auth] : [])])
    .flatMap((a) =>
      a.kind === 'ssh_password'
        ? [a.password]
        : [a.private_key, a.passphrase ?? '', ...a.private_key.split(/\r?\n/)],
    )
    .filter((s) => s.trim().length >= 8);
}

/** The values of a kubeconfig that grant access, besides the whole text. */
const kubeconfigSecrets = (text: string) => [
  text,
  ...[...text.matchAll(/^\s*(?:token|client-key-data|password):\s*(\S+)\s*$/gm)].map((m) => m[1]!),
];

/** Runs `fn` over `items`, at most `limit` at a time, starting them in order. */
export async function pool<T, R>(
  items: T[],
  limit: number,
  signal: AbortSignal,
  fn: (t: T, i: number) => Promise<R>,
) {
  const out: (R | undefined)[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length && !signal.aborted) {
      const i = next++;
      out[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

async function installHost(
  job: HostJob,
  connect: InstallConnect,
  local: () => Promise<LocalFile[]>,
  k8s: { role: K8sRole; init: boolean; join?: JoinInfo } | null,
  keepOpen = false,
): Promise<HostOutcome> {
  const { work } = job;
  const out: HostOutcome = { result: job.result };
  try {
    const facts = await job.connect(connect, () =>
      preflight(job.r, work.bundle, work.install.options, job.paths),
    );
    Object.assign(job.result, {
      arch: facts?.arch ?? null,
      distribution: facts?.distribution ?? null,
      compose: facts?.compose ?? null,
    });
    // Only the host that runs `kubeadm init` is a control plane to the start and check entries; a
    // control plane that joins is a worker to them until its join has run.
    const role = k8s ? ['--role', k8s.init ? 'control-plane' : 'worker'] : [];
    if (facts?.already) {
      job.result.already = true;
      job.result.endpoint = facts.endpoint;
      for (const step of ['upload', 'verify', 'install', 'configure', 'start', 'post_check', 'fingerprint'])
        job.skip(step, `${work.bundle.runtime} ${work.bundle.version} is already installed`);
    } else {
      await job.runSteps(local, role);
    }
    if (k8s?.join) await joinStep(job, k8s.join, k8s.role);
    if (k8s?.init) {
      const conf = await job.r.exec(['cat', '--', `${job.paths.root}/etc/kubernetes/admin.conf`]);
      if (conf.code !== 0)
        throw new StepError('COMMAND_FAILED', `no admin.conf on ${job.host.name} after kubeadm init`);
      // Registered before anything else can print it.
      job.secrets.push(...kubeconfigSecrets(conf.stdout));
      out.kubeconfig = conf.stdout;
      out.certExpiresAt = await readCertExpiry(job);
    }
    job.result.status = 'succeeded';
    // Read back whether this run wrote it or found it: an earlier attempt or install may have.
    job.result.fingerprint = await job.readFingerprint();
    if (keepOpen) out.job = job;
  } catch (e) {
    failHost(out, job, e);
  } finally {
    if (!out.job) await job.remote?.shell.close().catch(() => undefined);
  }
  return out;
}

/**
 * k8s: the first control plane on its own, then (once it is up and has made a join token) every
 * other host, which joins it. When the first control plane fails the others are not touched.
 */
async function installCluster(
  hosts: HostAccess[],
  work: InstallWork,
  signal: AbortSignal,
  newJob: (h: HostAccess) => HostJob,
  connect: InstallConnect,
  local: () => Promise<LocalFile[]>,
): Promise<(HostOutcome | undefined)[]> {
  const roles = rolesOf(
    hosts.map((h) => h.id),
    work.install.options,
  );
  const first = Math.max(
    0,
    hosts.findIndex((h) => roles.get(h.id) === 'control-plane'),
  );
  const outcomes: (HostOutcome | undefined)[] = new Array(hosts.length);
  const firstJob = newJob(hosts[first]!);
  const head = await installHost(firstJob, connect, local, { role: 'control-plane', init: true }, true);
  outcomes[first] = head;
  let join: JoinInfo | undefined;
  const others = hosts.filter((_, i) => i !== first);
  if (!head.error && others.length) {
    try {
      join = await createJoin(
        firstJob,
        others.some((h) => roles.get(h.id) === 'control-plane'),
      );
    } catch (e) {
      failHost(head, firstJob, e);
    }
  }
  await firstJob.remote?.shell.close().catch(() => undefined);
  delete head.job;
  if (!join) {
    for (const [i, h] of hosts.entries()) {
      if (i === first) continue;
      const job = newJob(h);
      job.result.status = 'skipped';
      outcomes[i] = { result: job.result };
    }
    return outcomes;
  }
  const rest = await pool(others, work.install.options.parallelism, signal, (h) =>
    installHost(newJob(h), connect, local, { role: roles.get(h.id) ?? 'worker', init: false, join }),
  );
  let k = 0;
  for (const i of hosts.keys()) if (i !== first) outcomes[i] = rest[k++];
  return outcomes;
}

export async function runInstall(
  asked: InstallWork,
  ctx: RunContext,
  connect: InstallConnect,
  opts: { bundleDir?: string; vipRetry?: typeof VIP_RETRY } = {},
): Promise<CompleteReport> {
  const secrets = secretsOf(asked.hosts);
  const run: RunContext = { ...ctx, steps: redactingSink(ctx.steps, secrets) };
  const bundleDir = opts.bundleDir ?? defaultBundleDir();
  const vip = asked.install.action === 'vip';
  // The VIP task checks the host for the whole entry's VIP tools itself.
  const { entry, notBuilt } = vip
    ? { entry: asked.bundle, notBuilt: [] }
    : await installable(asked.bundle, bundleDir);
  const work = { ...asked, bundle: entry };
  // Said with the install that asks for a VIP, not only by the VIP task that follows it.
  const vipNote =
    notBuilt.length && asked.install.options.lvs_vip && asked.install.action === 'install'
      ? {
          vip_tools: `not built in the runner's bundle, so the cluster is installed without the VIP's keepalived and ipvsadm: run ${buildCommand(entry)} where the runner is, then uninstall and install again`,
        }
      : {};
  let checked: Promise<LocalFile[]> | undefined;
  // Hashed once for every host, and only when the first host gets that far.
  const local = () => {
    checked ??= checkLocalBundle(work.bundle, bundleDir);
    return checked;
  };
  const byId = new Map(work.hosts.map((h) => [h.id, h]));
  const hosts = work.install.host_ids.map((id) => byId.get(id)).filter((h): h is HostAccess => !!h);
  if (!hosts.length) {
    return {
      status: 'failed',
      error_code: 'APPLY_FAILED',
      diagnostics: { message: 'the task names no hosts' },
    };
  }
  const uninstall = work.install.action === 'uninstall' || work.install.action === 'rollback';
  const renew = work.install.action === 'cert_renew';
  const newJob = (host: HostAccess) =>
    new HostJob(
      host,
      work,
      run,
      secrets,
      vip ? 'vip' : renew ? 'certs' : uninstall ? 'uninstall' : 'install',
    );
  const outcomes = renew
    ? await pool(hosts, 1, ctx.signal, (host) => renewCertsHost(newJob(host), connect, kubeconfigSecrets))
    : vip
      ? await pool(hosts, 1, ctx.signal, (host) =>
          runVipHost(newJob(host), connect, opts.vipRetry ?? VIP_RETRY, bundleDir),
        )
      : uninstall || work.bundle.runtime !== 'k8s'
        ? await pool(hosts, work.install.options.parallelism, ctx.signal, (host) =>
            uninstall
              ? uninstallHost(newJob(host), connect, local)
              : installHost(newJob(host), connect, local, null),
          )
        : await installCluster(hosts, work, ctx.signal, newJob, connect, local);
  const results: InstallHostResult[] = hosts.map(
    (h, i) =>
      outcomes[i]?.result ?? {
        host_id: h.id,
        status: 'skipped',
        already: false,
        error_code: 'TIMEOUT',
        arch: null,
        distribution: null,
        compose: null,
        endpoint: null,
        fingerprint: null,
      },
  );
  const diagnostics = redactDeep(
    {
      action: work.install.action,
      ...vipNote,
      hosts: hosts.map((h, i) => {
        const o = outcomes[i];
        if (!o) return { host_id: h.id, status: 'skipped', message: 'not started: the job was stopped' };
        if (o.result.status === 'skipped')
          return { host_id: h.id, status: 'skipped', message: 'not started: the first control plane failed' };
        return o.error
          ? {
              host_id: h.id,
              status: 'failed',
              failed_step: o.failed_step,
              error_code: o.error.code,
              message: o.error.message,
            }
          : { host_id: h.id, status: 'succeeded', already: o.result.already };
      }),
    },
    secrets,
  );
  const failed = outcomes.find((o) => o?.error)?.error;
  const stopped = outcomes.some((o) => !o);
  const head = outcomes.find((o) => o?.kubeconfig);
  const result = {
    hosts: results,
    ...(head?.kubeconfig && !uninstall
      ? { admin_kubeconfig: head.kubeconfig, cert_expires_at: head.certExpiresAt ?? null }
      : {}),
  };
  if (failed || stopped) {
    return {
      status: 'failed',
      error_code: failed?.code ?? 'TIMEOUT',
      diagnostics,
      result: { hosts: results },
    };
  }
  return { status: 'succeeded', diagnostics, result };
}
