/** The most of each output stream a command keeps: the tail, where errors are. */
export const EXEC_OUTPUT_CAP = 1024 * 1024;

export class TailBuffer {
  private chunks: Buffer[] = [];
  private size = 0;
  constructor(private readonly cap = EXEC_OUTPUT_CAP) {}
  push(chunk: Buffer) {
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.chunks.length > 1 && this.size - this.chunks[0]!.length >= this.cap) {
      this.size -= this.chunks.shift()!.length;
    }
  }
  text(): string {
    const all = Buffer.concat(this.chunks);
    return all.subarray(Math.max(0, all.length - this.cap)).toString('utf8');
  }
}

const MARK = 'k8s-manage-exec-pid=';
/** Login scripts may print before the wrapper does; past this much, stop looking. */
const SEARCH_LIMIT = 64 * 1024;

/**
 * Wraps a command so it can be killed from a second channel. SSH `signal` requests cannot do it:
 * OpenSSH ignores them on sessions without privilege separation, which is every root login, and
 * ssh2 does not send them once stdin is closed. Closing the channel alone leaves a command that
 * neither reads nor writes running. The login shell leads its own process group (sshd calls setsid
 * before starting it); `exec` hands that pid to the wrapper, which reports it on stderr and then
 * becomes the command, so argv[0] must be a program, not a shell builtin such as `cd`.
 */
export function killableArgv(argv: string[]): string[] {
  if (argv.length === 0) throw new TypeError('a command needs at least one argument');
  return ['exec', 'sh', '-c', `printf '${MARK}%s\\n' "$$" >&2; exec "$@"`, 'sh', ...argv];
}

/** Takes the wrapper's pid line out of stderr and passes everything else through unchanged. */
export class PidLineFilter {
  pid: number | null = null;
  /** Called once when the pid line arrives. */
  onPid?: (pid: number) => void;
  private pending: Buffer | null = Buffer.alloc(0);
  constructor(private readonly out: TailBuffer) {}

  push(chunk: Buffer) {
    if (this.pending === null) return this.out.push(chunk);
    this.pending = Buffer.concat([this.pending, chunk]);
    const text = this.pending.toString('latin1');
    const m = new RegExp(`(^|\\n)${MARK}(\\d+)\\n`).exec(text);
    if (m) {
      this.pid = Number(m[2]);
      this.onPid?.(this.pid);
      const start = m.index + m[1]!.length;
      const rest = Buffer.concat([
        this.pending.subarray(0, start),
        this.pending.subarray(start + m[0].length - m[1]!.length),
      ]);
      this.pending = null;
      if (rest.length) this.out.push(rest);
    } else if (this.pending.length > SEARCH_LIMIT) {
      this.flush();
    }
  }

  flush() {
    if (this.pending?.length) this.out.push(this.pending);
    this.pending = null;
  }
}
