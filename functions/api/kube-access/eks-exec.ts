import type { Findings } from './guard-core';

/**
 * An EKS kubeconfig's user runs `aws eks get-token` or `aws-iam-authenticator token`. Neither is
 * ever run: what they would do — presign an STS GetCallerIdentity for the cluster's name — the
 * runner does itself with its own AWS credentials, so the user is read as mode `eks` with the
 * cluster's name and region. Any other command, or an argument whose meaning the runner could not
 * honour, stays refused with its path and the reason. A role to assume (`--role-arn`, `-r`,
 * `AWS_ROLE_ARN`) is kept: the runner assumes it with STS from its own identity before minting.
 */
export type EksUser = { cluster_name: string; region: string | null; role_arn: string | null };

const CLUSTER_NAME = /^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
const EXEC_FIELDS = [
  'command',
  'args',
  'env',
  'apiVersion',
  'interactiveMode',
  'provideClusterInfo',
  'installHint',
];
const NOT_EKS =
  'exec plugins are refused: they run commands wherever the kubeconfig is loaded (only `aws eks get-token` and `aws-iam-authenticator token` are read, as mode eks)';
/** An IAM role in any partition (aws, aws-cn, aws-us-gov): 12-digit account, path and name as IAM allows. */
const ROLE_ARN = /^arn:aws(-[a-z]+)*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
const ROLE_INVALID = 'must be an IAM role ARN (arn:aws:iam::<12-digit account>:role/<name>)';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `--name value` and `--name=value` as pairs; a bare word as a positional. */
function options(args: string[]) {
  const opts = new Map<string, string | null>();
  const words: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (!a.startsWith('-')) {
      words.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    if (eq > 0) opts.set(a.slice(0, eq), a.slice(eq + 1));
    else if (i + 1 < args.length && !args[i + 1]!.startsWith('-')) opts.set(a, args[++i]!);
    else opts.set(a, null);
  }
  return { opts, words };
}

/** The flags each command may carry, by meaning: the name, the region, a role, and ignorable output ones. */
const COMMANDS = {
  aws: {
    words: ['eks', 'get-token'],
    name: ['--cluster-name', '--cluster-id'],
    region: ['--region'],
    role: ['--role-arn'],
    ignored: ['--output', '--profile'],
  },
  'aws-iam-authenticator': {
    words: ['token'],
    name: ['-i', '--cluster-id'],
    region: ['--region'],
    role: ['-r', '--role'],
    ignored: ['--forward-session-name', '--session-name'],
  },
} as const;

/**
 * The EKS cluster an `exec` user names, or undefined with the refusal recorded at `path`
 * (`…user.exec`). The region, when neither an argument nor the env gives it, comes from the
 * server's name later (`regionOfServer`).
 */
export function eksExec(f: Findings, exec: unknown, path: string): EksUser | undefined {
  const refuse = (at: string, why: string) => void f.error(at, why);
  if (!isObj(exec)) return refuse(path, 'must be a mapping');
  for (const key of Object.keys(exec)) if (!EXEC_FIELDS.includes(key)) return refuse(path, NOT_EKS);
  const command = typeof exec.command === 'string' ? exec.command.split('/').pop()! : '';
  const spec = COMMANDS[command as keyof typeof COMMANDS];
  if (!spec) return refuse(path, NOT_EKS);
  const args = exec.args ?? [];
  if (!Array.isArray(args) || args.some((a) => typeof a !== 'string')) return refuse(path, NOT_EKS);
  const { opts, words } = options(args as string[]);
  if (words.join(' ') !== spec.words.join(' ')) return refuse(path, NOT_EKS);
  const known: readonly string[] = [...spec.name, ...spec.region, ...spec.role, ...spec.ignored];
  for (const k of opts.keys())
    if (!known.includes(k)) return refuse(`${path}.args`, 'has an option the runner cannot honour');
  let role_arn = spec.role.map((k) => opts.get(k)).find((v) => v !== undefined) ?? null;
  if (spec.role.some((k) => opts.has(k)) && (role_arn === null || !ROLE_ARN.test(role_arn)))
    return refuse(`${path}.args`, ROLE_INVALID);
  if (spec.ignored.some((k) => k === '--profile' && opts.has(k)))
    f.warn(
      `${path}.args`,
      'the profile is ignored: the runner uses the AWS credentials of its own environment',
    );
  const name = spec.name.map((k) => opts.get(k)).find((v) => v);
  if (!name || !CLUSTER_NAME.test(name))
    return refuse(`${path}.args`, 'must name the EKS cluster (--cluster-name)');
  let region = spec.region.map((k) => opts.get(k)).find((v) => v) ?? null;
  const env = exec.env ?? [];
  if (!Array.isArray(env)) return refuse(`${path}.env`, 'must be a list of name and value');
  for (const e of env) {
    if (!isObj(e) || typeof e.name !== 'string' || typeof e.value !== 'string')
      return refuse(`${path}.env`, 'must be a list of name and value');
    if (e.name === 'AWS_REGION' || e.name === 'AWS_DEFAULT_REGION') region ??= e.value;
    else if (e.name === 'AWS_ROLE_ARN') {
      // The command line wins over the environment, as it does for the AWS CLI.
      if (!ROLE_ARN.test(e.value)) return refuse(`${path}.env`, ROLE_INVALID);
      role_arn ??= e.value;
    } else f.warn(`${path}.env`, 'is ignored: the runner uses the AWS settings of its own environment');
  }
  if (region !== null && !REGION.test(region)) return refuse(`${path}.args`, 'names no AWS region');
  return { cluster_name: name, region, role_arn };
}

/** `https://ABC.gr7.eu-west-1.eks.amazonaws.com` → `eu-west-1`. */
export function regionOfServer(server: string): string | null {
  const host = (() => {
    try {
      return new URL(server).hostname;
    } catch {
      return '';
    }
  })();
  const m = /\.([a-z]{2}(?:-[a-z]+)+-\d{1,2})\.eks\.amazonaws\.com(?:\.cn)?$/.exec(host);
  return m ? m[1]! : null;
}
