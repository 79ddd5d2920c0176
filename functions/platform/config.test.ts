import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';

/** The ConfigError loadConfig throws for env; fails the test if it returns instead. */
function refusal(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error(`loadConfig accepted ${Object.keys(env).join(', ')}`);
}

describe('loadConfig', () => {
  it('runs locally on defaults: port 8080, ./.k8sm, PGlite, a key file, the Postgres queue', () => {
    const dataDir = resolve('./.k8sm');
    expect(loadConfig({})).toEqual({
      port: 8080,
      dataDir,
      bootstrapAdmin: undefined,
      database: { kind: 'pglite', dataDir: resolve(dataDir, 'pgdata') },
      jwt: { kind: 'file', path: resolve(dataDir, 'jwt.key') },
      kmsKeyId: undefined,
      queue: { kind: 'postgres' },
      auditAnchor: { kind: 'file', path: resolve(dataDir, 'audit-anchor.jsonl') },
      logLevel: 'info',
      tokenTtlSeconds: 900,
      session: { idleSeconds: 43_200, maxSeconds: 604_800 },
      jobs: { leaseSeconds: 60, maxReceives: 5, claimWaitSeconds: 25 },
      approvedTtlSeconds: 86_400,
      testMaxAgeSeconds: 86_400,
      statusTtlSeconds: 300,
      retentionDays: 90,
      buildTimeoutMinutes: 120,
      webhookRefusalsPerMinute: 60,
      outbound: { allowPrivate: true, allowCidrs: [] },
      aws: { region: undefined, endpoint: undefined },
      ai: { provider: 'parser' },
    });
  });

  it('asks a model only when one is fully configured: openai with an endpoint, either with a model', () => {
    expect(
      loadConfig({
        K8SM_DATA_DIR: 'd',
        K8SM_AI_PROVIDER: 'openai',
        K8SM_AI_BASE_URL: 'http://10.0.3.7:11434/v1',
        K8SM_AI_MODEL: 'llama3.1',
        K8SM_AI_KEY_FILE: 'ai.key',
      }).ai,
    ).toEqual({
      provider: 'openai',
      baseUrl: 'http://10.0.3.7:11434/v1',
      model: 'llama3.1',
      key: { kind: 'file', path: resolve('d', 'ai.key') },
    });
    expect(
      loadConfig({
        K8SM_AI_PROVIDER: 'openai',
        K8SM_AI_BASE_URL: 'https://api.openai.com/v1',
        K8SM_AI_MODEL: 'gpt-4o-mini',
        K8SM_AI_KEY_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:1:secret:ai',
      }).ai,
    ).toMatchObject({
      key: { kind: 'secrets-manager', secretArn: 'arn:aws:secretsmanager:eu-west-1:1:secret:ai' },
    });
    expect(
      loadConfig({
        K8SM_AI_PROVIDER: 'openai',
        K8SM_AI_BASE_URL: 'http://127.0.0.1:8000/v1',
        K8SM_AI_MODEL: 'm',
      }).ai,
    ).toMatchObject({ key: { kind: 'none' } });
    expect(loadConfig({ K8SM_AI_PROVIDER: 'bedrock', K8SM_AI_MODEL: 'amazon.nova-lite-v1:0' }).ai).toEqual({
      provider: 'bedrock',
      model: 'amazon.nova-lite-v1:0',
    });

    expect(refusal({ K8SM_AI_PROVIDER: 'openai' }).problems).toEqual([
      expect.stringMatching(/^K8SM_AI_MODEL: required/),
      expect.stringMatching(/^K8SM_AI_BASE_URL: required/),
    ]);
    expect(refusal({ K8SM_AI_PROVIDER: 'bedrock' }).problems).toEqual([
      expect.stringMatching(/^K8SM_AI_MODEL/),
    ]);
    expect(refusal({ K8SM_AI_PROVIDER: 'gemini' }).problems).toEqual([
      expect.stringMatching(/^K8SM_AI_PROVIDER/),
    ]);
    expect(
      refusal({ K8SM_AI_PROVIDER: 'openai', K8SM_AI_MODEL: 'm', K8SM_AI_BASE_URL: 'ftp://models/v1' })
        .problems,
    ).toEqual([expect.stringMatching(/^K8SM_AI_BASE_URL/)]);
    expect(
      refusal({
        K8SM_AI_PROVIDER: 'openai',
        K8SM_AI_MODEL: 'm',
        K8SM_AI_BASE_URL: 'http://x/v1',
        K8SM_AI_KEY_FILE: 'k',
        K8SM_AI_KEY_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:1:secret:ai',
      }).problems,
    ).toEqual([expect.stringMatching(/^K8SM_AI_KEY_FILE: set either/)]);
    expect(
      refusal({ K8SM_AI_PROVIDER: 'bedrock', K8SM_AI_MODEL: 'm', K8SM_AI_BASE_URL: 'http://x/v1' }).problems,
    ).toEqual([expect.stringMatching(/^K8SM_AI_BASE_URL: only for K8SM_AI_PROVIDER=openai/)]);
    // A model without a provider would silently do nothing.
    expect(refusal({ K8SM_AI_MODEL: 'gpt-4o-mini' }).problems).toEqual([
      'K8SM_AI_MODEL: has no effect without K8SM_AI_PROVIDER',
    ]);
  });

  it('anchors the audit chain in a file of the data directory, elsewhere, or in a bucket, never two', () => {
    expect(loadConfig({ K8SM_DATA_DIR: 'd' }).auditAnchor).toEqual({
      kind: 'file',
      path: resolve('d', 'audit-anchor.jsonl'),
    });
    expect(loadConfig({ K8SM_AUDIT_ANCHOR_PATH: '/mnt/other/anchor.jsonl' }).auditAnchor).toEqual({
      kind: 'file',
      path: '/mnt/other/anchor.jsonl',
    });
    expect(loadConfig({ K8SM_AUDIT_ANCHOR_BUCKET: 'k8sm-audit-anchor' }).auditAnchor).toEqual({
      kind: 's3',
      bucket: 'k8sm-audit-anchor',
    });
    expect(
      refusal({ K8SM_AUDIT_ANCHOR_PATH: '/a', K8SM_AUDIT_ANCHOR_BUCKET: 'k8sm-audit-anchor' }).problems,
    ).toEqual([expect.stringContaining('K8SM_AUDIT_ANCHOR_PATH')]);
  });

  it('never lets a session idle longer than it may live', () => {
    expect(
      loadConfig({ K8SM_SESSION_IDLE_SECONDS: '7200', K8SM_SESSION_MAX_SECONDS: '3600' }).session,
    ).toEqual({
      idleSeconds: 3600,
      maxSeconds: 3600,
    });
  });

  it('treats an empty variable as unset, as a shell `export VAR=` means', () => {
    expect(loadConfig({ K8SM_PORT: '', DATABASE_URL: '' })).toMatchObject({
      port: 8080,
      database: { kind: 'pglite' },
    });
  });

  it('reads the port and resolves the data directory to an absolute path', () => {
    const config = loadConfig({ K8SM_PORT: '9090', K8SM_DATA_DIR: 'some/dir' });
    expect(config.port).toBe(9090);
    expect(config.dataDir).toBe(resolve('some/dir'));
    expect(config.database).toEqual({ kind: 'pglite', dataDir: resolve('some/dir', 'pgdata') });
  });

  it.each(['notaport', '0', '65536', '80.5', '-1'])('refuses K8SM_PORT=%s, naming the variable', (port) => {
    const e = refusal({ K8SM_PORT: port });
    expect(e.message).toContain('K8SM_PORT');
    expect(e.problems).toHaveLength(1);
  });

  it('refuses a DATABASE_URL that is not postgres://, without echoing it', () => {
    const url = 'mysql://app:Hunter2-secret-pw@db.internal:3306/app';
    const e = refusal({ DATABASE_URL: url });
    expect(e.message).toContain('DATABASE_URL');
    expect(e.message).not.toContain('Hunter2-secret-pw');
    expect(e.message).not.toContain('db.internal');
  });

  it('uses a postgres:// or postgresql:// DATABASE_URL instead of PGlite', () => {
    for (const url of ['postgres://u:p@127.0.0.1:5432/db', 'postgresql://u@127.0.0.1/db']) {
      expect(loadConfig({ DATABASE_URL: url }).database).toEqual({ kind: 'postgres', url });
    }
  });

  it('refuses DATABASE_URL together with K8SM_DATABASE_SECRET_ARN, without echoing the URL', () => {
    const e = refusal({
      DATABASE_URL: 'postgres://app:Hunter2-secret-pw@127.0.0.1/app',
      K8SM_DATABASE_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:db',
    });
    expect(e.message).toContain('DATABASE_URL');
    expect(e.message).not.toContain('Hunter2-secret-pw');
  });

  it('refuses K8SM_QUEUE_PREFIX without K8SM_DLQ_ARN, and the reverse', () => {
    const noDlq = refusal({ K8SM_QUEUE_PREFIX: 'k8sm-prod' });
    expect(noDlq.message).toContain('K8SM_DLQ_ARN');
    expect(noDlq.message).toContain('K8SM_QUEUE_PREFIX');
    const noPrefix = refusal({ K8SM_DLQ_ARN: 'arn:aws:sqs:eu-west-1:123456789012:dlq' });
    expect(noPrefix.message).toContain('K8SM_QUEUE_PREFIX');
  });

  it('switches to SQS when both K8SM_QUEUE_PREFIX and K8SM_DLQ_ARN are set', () => {
    const dlqArn = 'arn:aws:sqs:eu-west-1:123456789012:dlq';
    expect(loadConfig({ K8SM_QUEUE_PREFIX: 'k8sm-prod', K8SM_DLQ_ARN: dlqArn }).queue).toEqual({
      kind: 'sqs',
      prefix: 'k8sm-prod',
      dlqArn,
    });
  });

  it('reads the job lease, the receives before dead-lettering and the claim wait', () => {
    expect(
      loadConfig({ K8SM_JOB_LEASE_SECONDS: '15', K8SM_JOB_MAX_RECEIVES: '100', K8SM_CLAIM_WAIT_SECONDS: '0' })
        .jobs,
    ).toEqual({ leaseSeconds: 15, maxReceives: 100, claimWaitSeconds: 0 });
    expect(loadConfig({ K8SM_JOB_LEASE_SECONDS: '3600', K8SM_JOB_MAX_RECEIVES: '1' }).jobs).toMatchObject({
      leaseSeconds: 3600,
      maxReceives: 1,
    });
  });

  it('re-reads target statuses older than K8SM_STATUS_TTL_SECONDS, five minutes unless set', () => {
    expect(loadConfig({}).statusTtlSeconds).toBe(300);
    expect(loadConfig({ K8SM_STATUS_TTL_SECONDS: '60' }).statusTtlSeconds).toBe(60);
    expect(() => loadConfig({ K8SM_STATUS_TTL_SECONDS: '5' })).toThrow('K8SM_STATUS_TTL_SECONDS');
  });

  it('expires unclaimed approved releases after K8SM_APPROVED_TTL_SECONDS, a day unless set', () => {
    expect(loadConfig({}).approvedTtlSeconds).toBe(86_400);
    expect(loadConfig({ K8SM_APPROVED_TTL_SECONDS: '3600' }).approvedTtlSeconds).toBe(3600);
    expect(() => loadConfig({ K8SM_APPROVED_TTL_SECONDS: '59' })).toThrow('K8SM_APPROVED_TTL_SECONDS');
    expect(() => loadConfig({ K8SM_APPROVED_TTL_SECONDS: 'soon' })).toThrow('K8SM_APPROVED_TTL_SECONDS');
  });

  it('keeps step output K8SM_RETENTION_DAYS days, 90 unless set', () => {
    expect(loadConfig({}).retentionDays).toBe(90);
    expect(loadConfig({ K8SM_RETENTION_DAYS: '7' }).retentionDays).toBe(7);
    expect(() => loadConfig({ K8SM_RETENTION_DAYS: '0' })).toThrow('K8SM_RETENTION_DAYS');
    expect(() => loadConfig({ K8SM_RETENTION_DAYS: '1.5' })).toThrow('K8SM_RETENTION_DAYS');
  });

  it('throttles webhook refusals beyond K8SM_WEBHOOK_REFUSALS_PER_MINUTE, 60 unless set', () => {
    expect(loadConfig({ K8SM_WEBHOOK_REFUSALS_PER_MINUTE: '5' }).webhookRefusalsPerMinute).toBe(5);
    expect(() => loadConfig({ K8SM_WEBHOOK_REFUSALS_PER_MINUTE: '0' })).toThrow(
      'K8SM_WEBHOOK_REFUSALS_PER_MINUTE',
    );
  });

  it('marks builds without a final state unknown after K8SM_BUILD_TIMEOUT_MINUTES, two hours unless set', () => {
    expect(loadConfig({}).buildTimeoutMinutes).toBe(120);
    expect(loadConfig({ K8SM_BUILD_TIMEOUT_MINUTES: '30' }).buildTimeoutMinutes).toBe(30);
    expect(() => loadConfig({ K8SM_BUILD_TIMEOUT_MINUTES: '0' })).toThrow('K8SM_BUILD_TIMEOUT_MINUTES');
  });

  it('lets outbound calls reach private ranges by default; in the cloud only the listed ones', () => {
    expect(
      loadConfig({ K8SM_OUTBOUND_ALLOW_PRIVATE: 'false', K8SM_NOTIFY_ALLOW_CIDRS: '10.1.0.0/16, 192.0.2.7' })
        .outbound,
    ).toEqual({ allowPrivate: false, allowCidrs: ['10.1.0.0/16', '192.0.2.7/32'] });
    expect(() => loadConfig({ K8SM_OUTBOUND_ALLOW_PRIVATE: 'no' })).toThrow('K8SM_OUTBOUND_ALLOW_PRIVATE');
    expect(() => loadConfig({ K8SM_NOTIFY_ALLOW_CIDRS: '10.0.0.0/33' })).toThrow('K8SM_NOTIFY_ALLOW_CIDRS');
  });

  it.each([
    ['K8SM_JOB_LEASE_SECONDS', '14'],
    ['K8SM_JOB_LEASE_SECONDS', '3601'],
    ['K8SM_JOB_LEASE_SECONDS', '60.5'],
    ['K8SM_JOB_MAX_RECEIVES', '0'],
    ['K8SM_JOB_MAX_RECEIVES', '101'],
    ['K8SM_CLAIM_WAIT_SECONDS', '-1'],
    // A claim must answer within API Gateway's 30 s integration timeout.
    ['K8SM_CLAIM_WAIT_SECONDS', '26'],
    ['K8SM_CLAIM_WAIT_SECONDS', 'long'],
  ])('refuses %s=%s, naming the variable', (name, value) => {
    const e = refusal({ [name]: value });
    expect(e.problems).toHaveLength(1);
    expect(e.message).toContain(name);
  });

  it('splits K8SM_BOOTSTRAP_ADMIN at the first colon, so the password may hold colons', () => {
    expect(loadConfig({ K8SM_BOOTSTRAP_ADMIN: 'ops:pa:ss:w0rd-long-enough' }).bootstrapAdmin).toEqual({
      username: 'ops',
      password: 'pa:ss:w0rd-long-enough',
    });
  });

  it.each([
    ['a password under 12 characters', 'ops:Xq7-short'],
    ['no colon at all', 'opsXq7-no-colon-but-long'],
    ['an empty user', ':Xq7-a-long-enough-password'],
  ])('refuses K8SM_BOOTSTRAP_ADMIN with %s, without echoing it', (_, value) => {
    const e = refusal({ K8SM_BOOTSTRAP_ADMIN: value });
    expect(e.message).toContain('K8SM_BOOTSTRAP_ADMIN');
    expect(e.message).not.toContain('Xq7');
  });

  it('names every bad variable in one error, so a user fixes them in one go', () => {
    const e = refusal({ K8SM_PORT: 'x', K8SM_LOG_LEVEL: 'loud', K8SM_TOKEN_TTL_SECONDS: '5' });
    expect(e.problems).toHaveLength(3);
    for (const name of ['K8SM_PORT', 'K8SM_LOG_LEVEL', 'K8SM_TOKEN_TTL_SECONDS'])
      expect(e.message).toContain(name);
  });

  it('reads the trusted proxies as CIDRs, a bare address as a single host', () => {
    expect(loadConfig({ K8SM_TRUSTED_PROXIES: '10.0.0.0/8, 127.0.0.1,::1' }).trustedProxies).toEqual([
      '10.0.0.0/8',
      '127.0.0.1/32',
      '::1/128',
    ]);
    expect(loadConfig({}).trustedProxies).toBeUndefined();
  });

  it.each([
    ['not an address', 'proxy.local'],
    ['bits out of range', '10.0.0.0/33'],
    ['an empty prefix', '10.0.0.0/'],
  ])('refuses K8SM_TRUSTED_PROXIES with %s', (_, value) => {
    expect(refusal({ K8SM_TRUSTED_PROXIES: value }).message).toContain('K8SM_TRUSTED_PROXIES');
  });

  it('reads the origin-verify secret ARN and refuses anything else', () => {
    const arn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:origin-verify';
    expect(loadConfig({ K8SM_ORIGIN_VERIFY_SECRET_ARN: arn }).originVerifySecretArn).toBe(arn);
    expect(refusal({ K8SM_ORIGIN_VERIFY_SECRET_ARN: 'origin-verify' }).message).toContain(
      'K8SM_ORIGIN_VERIFY_SECRET_ARN',
    );
  });

  it('ignores variables it does not know', () => {
    expect(loadConfig({ HOME: '/root', K8SM_UNKNOWN: 'x' }).port).toBe(8080);
  });
});
