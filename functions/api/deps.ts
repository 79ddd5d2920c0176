import type { webcrypto } from 'node:crypto';
import type { AuditAnchor } from '../platform/anchor/types';
import type { Clock } from '../platform/clock';
import type { Config } from '../platform/config';
import type { Migration } from '../platform/db/migrate';
import type { Database } from '../platform/db/types';
import type { KeyProvider } from '../platform/keys/types';
import type { Logger } from '../platform/logger';
import type { JobQueue } from '../platform/queue/types';
import type { TicketHandlers } from './approvals/service';
import type { PasswordHasher } from './auth/password';
import type { JobKinds } from './jobs/kind';
import type { Authorizer } from './rbac/enforcer';

/** Everything a request may need, resolved once per process on first use (never at import). */
export type Deps = {
  config: Config;
  database: Database;
  clock: Clock;
  logger: Logger;
  /** HMAC-SHA256 key for access tokens; not extractable. */
  jwtKey: webcrypto.CryptoKey;
  authorizer: Authorizer;
  /** Envelope keys for every purpose (credentials, release secrets, audit checkpoints, claims). */
  keys: KeyProvider;
  /** The migrations this build ships, for /ready. */
  migrations: Migration[];
  /** Job dispatch: the Postgres table locally, SQS in the cloud. */
  queue: JobQueue;
  /** Password hashing for login (scrypt); tests swap in a counting one. */
  passwords: PasswordHasher;
  /** What each job kind does on the platform (claim, work order, steps, completion). */
  jobKinds: JobKinds;
  /** What each ticket kind does when decided or expired. */
  ticketKinds: TicketHandlers;
  /** Where audit checkpoints are copied outside the database: a file locally, S3 in the cloud. */
  auditAnchor: AuditAnchor;
  /** Name resolution for outbound calls; unset: the system resolver (tests point names elsewhere). */
  outboundLookup?: (host: string) => Promise<{ address: string }[]>;
};

/** Builds the process's dependencies from config. Slow work (connections, key reads) happens here. */
export async function buildDeps(
  config: Config,
  opts: {
    migrationsDir?: string;
    logger?: Logger;
    clock?: Clock;
    database?: Database;
    keys?: KeyProvider;
    queue?: JobQueue;
    passwords?: PasswordHasher;
    /** Tests add kinds of their own to the app's. */
    jobKinds?: JobKinds;
    auditAnchor?: AuditAnchor;
  } = {},
): Promise<Deps> {
  const [
    { openDatabase },
    { loadJwtKey },
    { loadMigrations },
    { Authorizer: AuthorizerImpl },
    { createLogger },
  ] = await Promise.all([
    import('../platform/db/open'),
    import('../platform/secrets/jwt-key'),
    import('../platform/db/migrate'),
    import('./rbac/enforcer'),
    import('../platform/logger'),
  ]);
  const { systemClock } = await import('../platform/clock');
  const { createKeyProvider } = await import('../platform/keys/provider');
  const { buildQueue } = await import('../platform/queue/provider');
  const { scryptHasher } = await import('./auth/password');
  const { JOB_KINDS, TICKET_KINDS } = await import('./registry');
  const { createAuditAnchor } = await import('../platform/anchor/provider');
  const { bindAuditKeys } = await import('./audit/mac-key');
  const database = opts.database ?? (await openDatabase(config));
  const deps: Deps = {
    config,
    database,
    clock: opts.clock ?? systemClock,
    logger: opts.logger ?? createLogger(config.logLevel),
    jwtKey: await hmacKey(await loadJwtKey(config)),
    authorizer: new AuthorizerImpl(),
    keys: opts.keys ?? createKeyProvider(config),
    migrations: await loadMigrations(opts.migrationsDir),
    queue: opts.queue ?? buildQueue(config),
    passwords: opts.passwords ?? scryptHasher,
    jobKinds: opts.jobKinds ?? JOB_KINDS,
    ticketKinds: TICKET_KINDS,
    auditAnchor: opts.auditAnchor ?? createAuditAnchor(config),
  };
  bindAuditKeys(database.db, () => deps.keys);
  return deps;
}

const hmacKey = (raw: Uint8Array) =>
  crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);

/** A promise made once and shared; a failure is not cached, so the next request retries. */
export function once<T>(make: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | undefined;
  return () => {
    p ??= make().catch((e) => {
      p = undefined;
      throw e;
    });
    return p;
  };
}
