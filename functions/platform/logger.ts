/**
 * JSON lines on stdout. Values under keys that can hold secrets are replaced before anything is
 * written, wherever they sit in the object, so a careless `log.info({ body })` cannot leak.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
export type Logger = {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
};

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

/** Key names whose values are never logged, matched case-insensitively as substrings. */
export const REDACTED_KEYS = [
  'password',
  'passphrase',
  'secret',
  'token',
  'authorization',
  'cookie',
  'private_key',
  'privatekey',
  'key_material',
  'kubeconfig',
  'payload',
  'ciphertext',
  'cert',
  'bootstrap_admin',
  'database_url',
];

const REDACTED = '[redacted]';

const isSecretKey = (key: string) => {
  const k = key.toLowerCase();
  return REDACTED_KEYS.some((r) => k.includes(r));
};

export function redact(value: unknown, depth = 0): unknown {
  if (depth > 8) return '[deep]';
  if (value instanceof Error) return describeError(value);
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = isSecretKey(k) ? REDACTED : redact(v, depth + 1);
    return out;
  }
  if (typeof value === 'string') return redactString(value);
  return value;
}

type ErrorFields = {
  query?: unknown;
  params?: unknown;
  parameters?: unknown;
  code?: unknown;
  cause?: unknown;
};

/** The error and the ones it wraps (drizzle wraps the driver's). */
function causes(e: Error): ErrorFields[] {
  const out: ErrorFields[] = [];
  for (
    let cur: unknown = e;
    cur && typeof cur === 'object' && out.length < 4;
    cur = (cur as ErrorFields).cause
  )
    out.push(cur as ErrorFields);
  return out;
}

/**
 * What a log line says about an error: its name and message, except for a database error.
 * Drizzle writes the statement and its parameters into the message, the drivers attach them as
 * fields, and Postgres quotes rejected values in its own messages; so a database error is reduced
 * to its name, SQLSTATE and the statement's first keyword.
 */
export function describeError(e: Error): Record<string, unknown> {
  const chain = causes(e);
  const db = chain.find((f) => typeof f.query === 'string' || 'params' in f || 'parameters' in f);
  if (!db) return { name: e.name, message: redactString(e.message) };
  const keyword = typeof db.query === 'string' ? /^\s*([A-Za-z]+)/.exec(db.query)?.[1] : undefined;
  const code = chain.map((f) => f.code).find((c) => typeof c === 'string' && /^[0-9A-Z]{5}$/.test(c));
  return {
    name: e.name,
    message: 'database error',
    ...(code ? { sqlstate: code } : {}),
    ...(keyword ? { statement: keyword.toLowerCase() } : {}),
  };
}

/** Bearer tokens and PEM blocks inside free text. */
function redactString(s: string): string {
  return s
    .replace(/Bearer\s+[A-Za-z0-9._~+/=-]+/g, 'Bearer [redacted]')
    .replace(/-----BEGIN [A-Z ]+-----[\s\S]*?(-----END [A-Z ]+-----|$)/g, '[redacted pem]')
    .replace(/eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g, '[redacted jwt]');
}

export type LogSink = (line: string) => void;

export function createLogger(
  level: LogLevel,
  sink: LogSink = (l) => process.stdout.write(`${l}\n`),
  base: Record<string, unknown> = {},
): Logger {
  const write = (lvl: Exclude<LogLevel, 'silent'>, msg: string, fields?: Record<string, unknown>) => {
    if (ORDER[lvl] < ORDER[level]) return;
    const entry = { time: new Date().toISOString(), level: lvl, msg: redactString(msg), ...base, ...fields };
    sink(JSON.stringify(redact(entry)));
  };
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
    child: (fields) => createLogger(level, sink, { ...base, ...fields }),
  };
}
