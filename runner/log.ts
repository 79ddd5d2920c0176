/**
 * The runner's logs: one JSON object per line on stderr, so a log shipper can parse them without
 * guessing. Everything that goes out passes through a redactor that knows the secrets this process
 * holds (its token, the registration token, what a work order carried), because a secret echoed in
 * an error message is the usual way one ends up in a log.
 */
export type Level = 'debug' | 'info' | 'warn' | 'error';
export type Fields = Record<string, unknown>;

const LEVELS: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };
export const MASK = '***';
/** Shorter values would mask ordinary words; a secret that short protects nothing anyway. */
const MIN_SECRET = 4;
/** Keys whose string values are secrets whatever they hold, in case one was never registered. */
const SECRET_KEY = /token|secret|password|passphrase|private_?key|authorization|^key$/i;

export class Redactor {
  private readonly secrets = new Set<string>();

  /** A job's redactor falls back to the process's, and is dropped with the job. */
  constructor(private readonly parent?: Redactor) {}

  /** A redactor for one job's secrets, on top of this one's. */
  derive(): Redactor {
    return new Redactor(this);
  }

  add(...values: (string | null | undefined)[]): void {
    for (const v of values) {
      if (typeof v !== 'string' || v.length < MIN_SECRET) continue;
      this.secrets.add(v);
      // As it reads inside a JSON string: a PEM's newlines are escaped there.
      const escaped = JSON.stringify(v).slice(1, -1);
      if (escaped !== v) this.secrets.add(escaped);
    }
  }

  /** Masks secrets in a string; the longest first, so one secret inside another leaves no tail. */
  text(s: string): string {
    let out = s;
    for (const secret of [...this.secrets].sort((a, b) => b.length - a.length))
      if (out.includes(secret)) out = out.split(secret).join(MASK);
    return this.parent ? this.parent.text(out) : out;
  }

  /**
   * A copy with every string masked; walking the value keeps JSON structure intact. `byKey` also
   * masks strings under secret-sounding keys: right for log fields, too blunt for reports.
   */
  value<T>(v: T, byKey = false, depth = 0): T {
    if (typeof v === 'string') return this.text(v) as T;
    if (v === null || typeof v !== 'object') return v;
    // Unwalked would mean unmasked.
    if (depth > 20) return '[nested too deep]' as T;
    if (Array.isArray(v)) return v.map((x) => this.value(x, byKey, depth + 1)) as T;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>))
      out[k] = byKey && typeof x === 'string' && SECRET_KEY.test(k) ? MASK : this.value(x, byKey, depth + 1);
    return out as T;
  }
}

/** What an error may contribute to a log line: its message and a system error's code, never its stack. */
export function errorFields(e: unknown): Fields {
  if (!(e instanceof Error)) return { err: String(e) };
  const cause = (e as { cause?: { code?: unknown } }).cause;
  const status = (e as { status?: unknown }).status;
  const code = (e as { code?: unknown }).code;
  return {
    err: e.message,
    ...(typeof status === 'number' ? { status } : {}),
    ...(typeof code === 'string' ? { code } : {}),
    ...(typeof cause?.code === 'string' ? { cause: cause.code } : {}),
  };
}

export class Logger {
  constructor(
    private readonly write: (line: string) => void = (line) => void process.stderr.write(line),
    readonly redactor = new Redactor(),
    private readonly base: Fields = {},
    private readonly min: Level = 'info',
  ) {}

  child(fields: Fields, redactor = this.redactor): Logger {
    return new Logger(this.write, redactor, { ...this.base, ...fields }, this.min);
  }

  debug(msg: string, fields: Fields = {}): void {
    this.emit('debug', msg, fields);
  }
  info(msg: string, fields: Fields = {}): void {
    this.emit('info', msg, fields);
  }
  warn(msg: string, fields: Fields = {}): void {
    this.emit('warn', msg, fields);
  }
  error(msg: string, fields: Fields = {}): void {
    this.emit('error', msg, fields);
  }

  private emit(level: Level, msg: string, fields: Fields): void {
    if (LEVELS[level] < LEVELS[this.min]) return;
    const entry = this.redactor.value(
      { ts: new Date().toISOString(), level, msg, ...this.base, ...fields },
      true,
    );
    let line: string;
    try {
      line = JSON.stringify(entry);
    } catch {
      line = JSON.stringify({
        ts: entry.ts,
        level,
        msg: this.redactor.text(msg),
        note: 'fields not serialisable',
      });
    }
    // The JSON form escapes quotes and newlines, so check it once more as written.
    this.write(`${this.redactor.text(line)}\n`);
  }
}
