import { Buffer } from 'node:buffer';
import type { CompleteReport, StepReport } from '../../../shared/jobs/kinds';
import { maskValues } from '../../../shared/releases/mask';
import type { Db } from '../../platform/db/types';
import type { JobRow } from './repo';

/**
 * The secret values sealed into a held job's work order, or null when they cannot be known (the
 * work order no longer builds): then what a runner sent is withheld rather than stored unmasked.
 */
export type SecretsOf = (tx: Db, job: JobRow) => Promise<readonly string[] | null>;

/**
 * What a tool may print of a secret: the value itself and its base64 (a Secret's `data`, a basic
 * auth header). `maskValues` adds each one's JSON-escaped spelling and masks longest first.
 */
function forms(secrets: readonly string[]): string[] {
  const out = new Set<string>();
  for (const s of secrets) {
    if (!s) continue;
    out.add(s);
    out.add(Buffer.from(s, 'utf8').toString('base64'));
  }
  return [...out];
}

const masked = <T>(value: T, fs: string[]): T => (fs.length ? (maskValues(value, fs) as T) : value);

/** A step as stored: what it says (output, detail) masked; its name, status and codes are the code's own. */
export function maskStep(step: StepReport, secrets: readonly string[] | null): StepReport {
  if (secrets === null) {
    const { output: _o, detail: _d, ...rest } = step;
    return rest;
  }
  const fs = forms(secrets);
  return {
    ...step,
    ...(step.output === undefined ? {} : { output: masked(step.output, fs) }),
    ...(step.detail === undefined ? {} : { detail: masked(step.detail, fs) }),
  };
}

/** A completion as stored and as its kind sees it: diagnostics and result masked. */
export function maskReport(report: CompleteReport, secrets: readonly string[] | null): CompleteReport {
  if (secrets === null)
    return { status: report.status, ...(report.error_code ? { error_code: report.error_code } : {}) };
  const fs = forms(secrets);
  return {
    ...report,
    ...(report.diagnostics === undefined ? {} : { diagnostics: masked(report.diagnostics, fs) }),
    ...(report.result === undefined ? {} : { result: masked(report.result, fs) }),
  };
}

/**
 * The report a kind's `onCompleted` gets: masked, except the result fields its `scrub` took out of
 * what is stored (a secret it seals itself, like an install's admin kubeconfig), which it gets as
 * sent: masking them would break what they are for.
 */
export function withSealed(
  stored: CompleteReport,
  sent: CompleteReport,
  scrubbed: CompleteReport,
): CompleteReport {
  if (!sent.result || !stored.result) return stored;
  const result = { ...stored.result };
  for (const [k, v] of Object.entries(sent.result)) if (scrubbed.result?.[k] !== v) result[k] = v;
  return { ...stored, result };
}
