/**
 * A shell on a host, as the adapters see it. Commands are argument vectors, never shell lines:
 * the implementation quotes each argument (one helper, `quote.ts`), so no user input is ever
 * concatenated into a command. Relative paths are relative to the login user's home directory.
 */
export type ExecResult = { code: number | null; signal: string | null; stdout: string; stderr: string };

export type ExecOptions = {
  /** Kills the command and fails with TIMEOUT after this long. */
  timeoutMs?: number;
  stdin?: string | Buffer;
  signal?: AbortSignal;
};

export interface RemoteShell {
  exec(argv: string[], opts?: ExecOptions): Promise<ExecResult>;
  upload(content: Buffer | string, remotePath: string, opts?: { mode?: number }): Promise<void>;
  close(): Promise<void>;
}
