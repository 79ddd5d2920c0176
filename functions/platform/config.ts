import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { z } from 'zod';

/** `10.0.0.0/8, ::1` → ['10.0.0.0/8', '::1/128']; null when an entry is not an address or CIDR. */
function parseCidrs(value: string): string[] | null {
  const out: string[] = [];
  for (const entry of value
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const [addr = '', bits, extra] = entry.split('/');
    const family = isIP(addr);
    const max = family === 6 ? 128 : 32;
    if (!family || extra !== undefined || (bits !== undefined && !/^\d{1,3}$/.test(bits))) return null;
    const n = bits === undefined ? max : Number(bits);
    if (n > max) return null;
    out.push(`${addr}/${n}`);
  }
  return out;
}

/**
 * Every setting of the platform process, read once. Nothing else reads process.env: adapters get
 * their settings from the parsed object, so a bad value stops the process at start, named.
 */
const Settings = z.object({
  /** Port of the local server. */
  K8SM_PORT: z.coerce.number().int().min(1).max(65535).default(8080),
  /** Every local file: PGlite data, master key, JWT key, initial admin password, lock file. */
  K8SM_DATA_DIR: z.string().min(1).default('./.k8sm'),
  /** `user:password` for the first admin; split at the first colon so passwords may hold colons. */
  K8SM_BOOTSTRAP_ADMIN: z
    .string()
    .regex(/^[a-z0-9][a-z0-9._-]{1,62}:.{12,}$/i, 'must be user:password with a password of 12+ characters')
    .optional(),
  /** A real Postgres instead of the embedded PGlite. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  /** Cloud: the RDS-generated secret with {username, password, host, port, dbname}. */
  K8SM_DATABASE_SECRET_ARN: z.string().startsWith('arn:', 'must be an ARN').optional(),
  /** Cloud: connect here (the RDS Proxy) instead of the secret's host. */
  K8SM_DATABASE_HOST: z.string().min(1).optional(),
  /** KMS key for credential envelopes instead of the local master key. */
  K8SM_KMS_KEY_ID: z.string().min(1).optional(),
  /** Secrets Manager secret whose string is the HS256 JWT key, instead of the local key file. */
  K8SM_JWT_SECRET_ARN: z.string().startsWith('arn:', 'must be an ARN').optional(),
  /** SQS job queues (one per runner pool, named with this prefix) instead of the Postgres queue. */
  K8SM_QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,40}$/, 'letters, digits, - and _ only')
    .optional(),
  K8SM_DLQ_ARN: z.string().startsWith('arn:', 'must be an ARN').optional(),
  /**
   * The local audit anchor, an append-only file (default: `audit-anchor.jsonl` in the data
   * directory). Put it on another volume than the database to guard against whoever holds that one.
   */
  K8SM_AUDIT_ANCHOR_PATH: z.string().min(1).optional(),
  /** Cloud: the Object Lock bucket audit checkpoints are anchored in, instead of the file. */
  K8SM_AUDIT_ANCHOR_BUCKET: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name')
    .optional(),
  /** Minimum level of the JSON log. */
  K8SM_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  /** Lifetime of access tokens. Short, because a stolen token is not revocable before it ends. */
  K8SM_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(900),
  /** A SPA session unused this long ends (its refresh token expires); each refresh restarts it. */
  K8SM_SESSION_IDLE_SECONDS: z.coerce.number().int().min(300).max(2_592_000).default(43_200),
  /** A SPA session ends this long after its sign-in, however much it is used. */
  K8SM_SESSION_MAX_SECONDS: z.coerce.number().int().min(300).max(31_536_000).default(604_800),
  /** The lease a claim grants a runner (and, with SQS, the message's visibility timeout). */
  K8SM_JOB_LEASE_SECONDS: z.coerce.number().int().min(15).max(3600).default(60),
  /** Receives of one job before it is dead-lettered instead of handed out again. */
  K8SM_JOB_MAX_RECEIVES: z.coerce.number().int().min(1).max(100).default(5),
  /** An approved release no runner claims this long expires, so its target is not held for good. */
  K8SM_APPROVED_TTL_SECONDS: z.coerce.number().int().min(60).max(31_536_000).default(86_400),
  /** A host or cluster test older than this makes a preview check warn (SPEC §7.6). */
  K8SM_TEST_MAX_AGE_SECONDS: z.coerce.number().int().min(60).max(31_536_000).default(86_400),
  /** The sweep has a target's runner read its status again once the newest is this old. */
  K8SM_STATUS_TTL_SECONDS: z.coerce.number().int().min(30).max(86_400).default(300),
  /** A build no provider has finished this long after its first delivery becomes `unknown`. */
  K8SM_BUILD_TIMEOUT_MINUTES: z.coerce.number().int().min(1).max(10_080).default(120),
  /** Refused webhook deliveries per pipeline and minute answered 401; those beyond it get 429. */
  K8SM_WEBHOOK_REFUSALS_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(60),
  /** The longest a runner's claim long-polls; 25 leaves room within API Gateway's 30 s timeout. */
  K8SM_CLAIM_WAIT_SECONDS: z.coerce.number().int().min(0).max(25).default(25),
  /** Step output and raw release diagnostics older than this many days are removed by the sweep. */
  K8SM_RETENTION_DAYS: z.coerce.number().int().min(1).max(36_500).default(90),
  /** The bundle manifest install requests are checked against (`script/manifests/index.yaml`). */
  K8SM_BUNDLE_MANIFEST: z.string().min(1).optional(),
  /** Proxies whose X-Forwarded-For is believed: comma-separated CIDRs or addresses. */
  K8SM_TRUSTED_PROXIES: z
    .string()
    .refine((v) => parseCidrs(v) !== null, 'must be comma-separated IP addresses or CIDRs')
    .optional(),
  /** Cloud: Secrets Manager secret CloudFront sends as X-K8sm-Origin-Verify on every origin request. */
  /** false in the cloud: webhooks and CI triggers may not reach loopback or private ranges (SPEC §7.2). */
  K8SM_OUTBOUND_ALLOW_PRIVATE: z
    .enum(['true', 'false'], { message: 'must be true or false' })
    .default('true')
    .transform((v) => v === 'true'),
  /** Private ranges outbound calls may still reach when K8SM_OUTBOUND_ALLOW_PRIVATE is false. */
  K8SM_NOTIFY_ALLOW_CIDRS: z
    .string()
    .refine((v) => parseCidrs(v) !== null, 'must be comma-separated IP addresses or CIDRs')
    .optional(),
  K8SM_ORIGIN_VERIFY_SECRET_ARN: z.string().startsWith('arn:', 'must be an ARN').optional(),
  /** The AI bridge's optional model; unset, the deterministic parser alone reads commands. */
  K8SM_AI_PROVIDER: z.enum(['bedrock', 'openai'], { message: 'must be bedrock or openai' }).optional(),
  /** Bedrock model id, or the model name an OpenAI-compatible endpoint knows. */
  K8SM_AI_MODEL: z.string().max(200).optional(),
  /**
   * An OpenAI-compatible endpoint (up to `/v1`). An operator's setting, so the outbound rule for
   * user-given URLs does not apply: a model served on the same network is a normal choice.
   */
  K8SM_AI_BASE_URL: z
    .string()
    .url()
    .regex(/^https?:\/\//, 'must be an http(s) URL')
    .optional(),
  /** Secrets Manager secret whose string is the endpoint's API key. */
  K8SM_AI_KEY_SECRET_ARN: z.string().startsWith('arn:', 'must be an ARN').optional(),
  /** A file holding the endpoint's API key; relative paths are in the data directory. */
  K8SM_AI_KEY_FILE: z.string().min(1).optional(),
  AWS_REGION: z.string().min(1).optional(),
  AWS_ENDPOINT_URL: z.string().url().optional(),
});

export type Settings = z.infer<typeof Settings>;

export type Config = {
  port: number;
  dataDir: string;
  bootstrapAdmin: { username: string; password: string } | undefined;
  database:
    | { kind: 'pglite'; dataDir: string }
    | { kind: 'postgres'; url: string }
    | { kind: 'postgres-secret'; secretArn: string; hostOverride: string | undefined };
  jwt: { kind: 'file'; path: string } | { kind: 'secrets-manager'; secretArn: string };
  kmsKeyId: string | undefined;
  queue: { kind: 'postgres' } | { kind: 'sqs'; prefix: string; dlqArn: string };
  auditAnchor: { kind: 'file'; path: string } | { kind: 's3'; bucket: string };
  logLevel: Settings['K8SM_LOG_LEVEL'];
  tokenTtlSeconds: number;
  /** Refresh-token lifetimes: idle (renewed by each refresh) and absolute (from sign-in). */
  session: { idleSeconds: number; maxSeconds: number };
  jobs: { leaseSeconds: number; maxReceives: number; claimWaitSeconds: number };
  /** How long an approved release waits for a runner's claim before it expires. */
  approvedTtlSeconds: number;
  testMaxAgeSeconds: number;
  /** Target statuses older than this are read again by the sweep (where a runner is online). */
  statusTtlSeconds: number;
  /** Days step output and raw release diagnostics are kept; audit events are never removed. */
  retentionDays: number;
  /** Minutes after which a build without a final state is marked `unknown` by the sweep. */
  buildTimeoutMinutes: number;
  /** Refusals per pipeline and minute before further refusals answer 429 with Retry-After. */
  webhookRefusalsPerMinute: number;
  /** Absolute path of the bundle manifest; undefined: the default places (see installs/manifest). */
  bundleManifest: string | undefined;
  /** CIDRs (`addr/bits`) of proxies whose X-Forwarded-For is believed; undefined: none. */
  trustedProxies: string[] | undefined;
  /** Where calls the platform makes on its own (notifications, CI triggers) may go. */
  outbound: { allowPrivate: boolean; allowCidrs: string[] };
  /** The secret proving a request came through CloudFront; undefined: CloudFront's headers are ignored. */
  originVerifySecretArn: string | undefined;
  aws: { region: string | undefined; endpoint: string | undefined };
  /** The model the AI bridge may ask; `parser`: none, the deterministic parser alone. */
  ai: AiProviderConfig;
};

/** Where an OpenAI-compatible endpoint's key comes from; `none` for endpoints that need none. */
export type AiKeySource =
  | { kind: 'none' }
  | { kind: 'file'; path: string }
  | { kind: 'secrets-manager'; secretArn: string };

export type AiProviderConfig =
  | { provider: 'parser' }
  | { provider: 'openai'; baseUrl: string; model: string; key: AiKeySource }
  | { provider: 'bedrock'; model: string };

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid settings:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  }
}

/** Parses the environment; throws a ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const input = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = Settings.safeParse(input);
  if (!parsed.success) {
    // Never echo the value: K8SM_BOOTSTRAP_ADMIN and DATABASE_URL carry passwords.
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const s = parsed.data;
  const problems: string[] = [];
  if (s.K8SM_QUEUE_PREFIX && !s.K8SM_DLQ_ARN) problems.push('K8SM_DLQ_ARN: required with K8SM_QUEUE_PREFIX');
  if (s.K8SM_DLQ_ARN && !s.K8SM_QUEUE_PREFIX) problems.push('K8SM_QUEUE_PREFIX: required with K8SM_DLQ_ARN');
  if (s.DATABASE_URL && s.K8SM_DATABASE_SECRET_ARN)
    problems.push('DATABASE_URL: set either DATABASE_URL or K8SM_DATABASE_SECRET_ARN, not both');
  if (s.K8SM_AUDIT_ANCHOR_PATH && s.K8SM_AUDIT_ANCHOR_BUCKET)
    problems.push(
      'K8SM_AUDIT_ANCHOR_PATH: set either K8SM_AUDIT_ANCHOR_PATH or K8SM_AUDIT_ANCHOR_BUCKET, not both',
    );
  problems.push(...aiProblems(s));
  if (problems.length) throw new ConfigError(problems);

  const dataDir = resolve(s.K8SM_DATA_DIR);
  let bootstrapAdmin: Config['bootstrapAdmin'];
  if (s.K8SM_BOOTSTRAP_ADMIN) {
    const at = s.K8SM_BOOTSTRAP_ADMIN.indexOf(':');
    bootstrapAdmin = {
      username: s.K8SM_BOOTSTRAP_ADMIN.slice(0, at),
      password: s.K8SM_BOOTSTRAP_ADMIN.slice(at + 1),
    };
  }
  return {
    port: s.K8SM_PORT,
    dataDir,
    bootstrapAdmin,
    database: s.DATABASE_URL
      ? { kind: 'postgres', url: s.DATABASE_URL }
      : s.K8SM_DATABASE_SECRET_ARN
        ? {
            kind: 'postgres-secret',
            secretArn: s.K8SM_DATABASE_SECRET_ARN,
            hostOverride: s.K8SM_DATABASE_HOST,
          }
        : { kind: 'pglite', dataDir: resolve(dataDir, 'pgdata') },
    jwt: s.K8SM_JWT_SECRET_ARN
      ? { kind: 'secrets-manager', secretArn: s.K8SM_JWT_SECRET_ARN }
      : { kind: 'file', path: resolve(dataDir, 'jwt.key') },
    kmsKeyId: s.K8SM_KMS_KEY_ID,
    queue:
      s.K8SM_QUEUE_PREFIX && s.K8SM_DLQ_ARN
        ? { kind: 'sqs', prefix: s.K8SM_QUEUE_PREFIX, dlqArn: s.K8SM_DLQ_ARN }
        : { kind: 'postgres' },
    auditAnchor: s.K8SM_AUDIT_ANCHOR_BUCKET
      ? { kind: 's3', bucket: s.K8SM_AUDIT_ANCHOR_BUCKET }
      : { kind: 'file', path: resolve(dataDir, s.K8SM_AUDIT_ANCHOR_PATH ?? 'audit-anchor.jsonl') },
    logLevel: s.K8SM_LOG_LEVEL,
    tokenTtlSeconds: s.K8SM_TOKEN_TTL_SECONDS,
    session: {
      idleSeconds: Math.min(s.K8SM_SESSION_IDLE_SECONDS, s.K8SM_SESSION_MAX_SECONDS),
      maxSeconds: s.K8SM_SESSION_MAX_SECONDS,
    },
    jobs: {
      leaseSeconds: s.K8SM_JOB_LEASE_SECONDS,
      maxReceives: s.K8SM_JOB_MAX_RECEIVES,
      claimWaitSeconds: s.K8SM_CLAIM_WAIT_SECONDS,
    },
    approvedTtlSeconds: s.K8SM_APPROVED_TTL_SECONDS,
    testMaxAgeSeconds: s.K8SM_TEST_MAX_AGE_SECONDS,
    statusTtlSeconds: s.K8SM_STATUS_TTL_SECONDS,
    retentionDays: s.K8SM_RETENTION_DAYS,
    buildTimeoutMinutes: s.K8SM_BUILD_TIMEOUT_MINUTES,
    webhookRefusalsPerMinute: s.K8SM_WEBHOOK_REFUSALS_PER_MINUTE,
    bundleManifest: s.K8SM_BUNDLE_MANIFEST ? resolve(s.K8SM_BUNDLE_MANIFEST) : undefined,
    trustedProxies: s.K8SM_TRUSTED_PROXIES ? (parseCidrs(s.K8SM_TRUSTED_PROXIES) ?? undefined) : undefined,
    outbound: {
      allowPrivate: s.K8SM_OUTBOUND_ALLOW_PRIVATE,
      allowCidrs: s.K8SM_NOTIFY_ALLOW_CIDRS ? (parseCidrs(s.K8SM_NOTIFY_ALLOW_CIDRS) ?? []) : [],
    },
    originVerifySecretArn: s.K8SM_ORIGIN_VERIFY_SECRET_ARN,
    aws: { region: s.AWS_REGION, endpoint: s.AWS_ENDPOINT_URL },
    ai: aiConfig(s, dataDir),
  };
}

/** A half-configured model is refused at start rather than found out at the first command. */
function aiProblems(s: Settings): string[] {
  const problems: string[] = [];
  const provider = s.K8SM_AI_PROVIDER;
  if (!provider) {
    for (const name of [
      'K8SM_AI_MODEL',
      'K8SM_AI_BASE_URL',
      'K8SM_AI_KEY_SECRET_ARN',
      'K8SM_AI_KEY_FILE',
    ] as const) {
      if (s[name]) problems.push(`${name}: has no effect without K8SM_AI_PROVIDER`);
    }
    return problems;
  }
  if (!s.K8SM_AI_MODEL) problems.push(`K8SM_AI_MODEL: required with K8SM_AI_PROVIDER=${provider}`);
  if (provider === 'openai') {
    if (!s.K8SM_AI_BASE_URL) problems.push('K8SM_AI_BASE_URL: required with K8SM_AI_PROVIDER=openai');
    if (s.K8SM_AI_KEY_SECRET_ARN && s.K8SM_AI_KEY_FILE)
      problems.push('K8SM_AI_KEY_FILE: set either K8SM_AI_KEY_FILE or K8SM_AI_KEY_SECRET_ARN, not both');
  } else {
    // Bedrock is reached with the process's own AWS role; an endpoint URL or key would be ignored.
    for (const name of ['K8SM_AI_BASE_URL', 'K8SM_AI_KEY_SECRET_ARN', 'K8SM_AI_KEY_FILE'] as const) {
      if (s[name]) problems.push(`${name}: only for K8SM_AI_PROVIDER=openai; Bedrock uses the AWS role`);
    }
  }
  return problems;
}

function aiConfig(s: Settings, dataDir: string): AiProviderConfig {
  if (s.K8SM_AI_PROVIDER === 'bedrock') return { provider: 'bedrock', model: s.K8SM_AI_MODEL ?? '' };
  if (s.K8SM_AI_PROVIDER !== 'openai') return { provider: 'parser' };
  return {
    provider: 'openai',
    baseUrl: s.K8SM_AI_BASE_URL ?? '',
    model: s.K8SM_AI_MODEL ?? '',
    key: s.K8SM_AI_KEY_SECRET_ARN
      ? { kind: 'secrets-manager', secretArn: s.K8SM_AI_KEY_SECRET_ARN }
      : s.K8SM_AI_KEY_FILE
        ? { kind: 'file', path: resolve(dataDir, s.K8SM_AI_KEY_FILE) }
        : { kind: 'none' },
  };
}
