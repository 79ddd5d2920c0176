/**
 * What a release's diagnostics keep once their raw output is past retention (SPEC §7.4): which
 * step failed, on which host, with which code and message. Everything else (host output tails,
 * container logs, pod states, events) goes.
 */
export type DiagnosticsSummary = {
  error_code: string | null;
  message: string | null;
  failed_step: string | null;
  host_id: string | null;
  /** The retention in force when the rest was removed, so a reader can say how old it was. */
  retention_days: number;
};

type Fields = Record<string, unknown>;
/** The failed step as stored: the platform's own record of where the job stopped. */
export type FailedStep = {
  name: string;
  hostId: string | null;
  errorCode: string | null;
  detail: Fields | null;
};

const str = (v: unknown) => (typeof v === 'string' && v.length > 0 ? v : null);
/** A summary line, not output: long messages are cut so the summary cannot carry the raw text back. */
const MESSAGE_MAX = 600;

/**
 * Compose diagnostics report per host (`hosts[]`, the failing one with `failed_step`); Kubernetes
 * ones carry `message` at the top. The failed step row fills in what the diagnostics do not say.
 */
export function summarizeDiagnostics(
  diagnostics: Fields,
  failed: FailedStep | undefined,
  retentionDays: number,
): DiagnosticsSummary {
  const hosts = Array.isArray(diagnostics.hosts) ? (diagnostics.hosts as unknown[]) : [];
  const host = hosts.find(
    (h): h is Fields => typeof h === 'object' && h !== null && str((h as Fields).failed_step) !== null,
  );
  const message =
    str(diagnostics.message) ?? str(failed?.detail?.message) ?? str(host?.failed_command) ?? null;
  return {
    error_code: str(diagnostics.error_code) ?? failed?.errorCode ?? null,
    message: message === null ? null : message.slice(0, MESSAGE_MAX),
    failed_step: str(host?.failed_step) ?? failed?.name ?? null,
    host_id: str(host?.host_id) ?? failed?.hostId ?? null,
    retention_days: retentionDays,
  };
}
