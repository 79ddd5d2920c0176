/**
 * The one place remote command lines are built. An SSH server hands the command string to the
 * login user's shell, so every argument is quoted for a POSIX shell: inside single quotes nothing
 * is special, and a single quote itself is written as `'\''`. Arguments made only of characters no
 * shell treats specially stay bare so logs stay readable; `=` is not among them because a bare
 * `A=b` in first position would be an assignment, not a command.
 */
const BARE = /^[A-Za-z0-9_./:@,+-]+$/;

export function quoteArg(s: string): string {
  if (typeof s !== 'string') throw new TypeError('a command argument must be a string');
  // A C string ends at NUL: the remote side would silently run a different argument.
  if (s.includes('\0')) throw new TypeError('a command argument cannot contain a NUL byte');
  if (BARE.test(s)) return s;
  return `'${s.replaceAll("'", "'\\''")}'`;
}

export function commandLine(argv: string[]): string {
  if (!Array.isArray(argv) || argv.length === 0) throw new TypeError('a command needs at least one argument');
  return argv.map(quoteArg).join(' ');
}
