import type { StepSink } from './steps';

export const MASK = '***';

/**
 * The forms a secret can take in text we send back: itself, and as it appears inside a JSON string
 * (a tool that prints JSON escapes quotes, backslashes and control characters).
 */
function forms(secrets: readonly string[]): string[] {
  const out = new Set<string>();
  for (const s of secrets) {
    if (!s) continue;
    out.add(s);
    out.add(JSON.stringify(s).slice(1, -1));
  }
  // Longest first: a secret that contains another must be masked whole, not around the shorter one.
  return [...out].sort((a, b) => b.length - a.length);
}

/** Replaces every occurrence of each non-empty secret with `***`. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const f of forms(secrets)) out = out.split(f).join(MASK);
  return out;
}

/** `redact` applied to every string inside a JSON-like value (keys too: a key can carry a value). */
export function redactDeep<T>(value: T, secrets: readonly string[]): T {
  const fs = forms(secrets);
  if (!fs.length) return value;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') {
      let out = v;
      for (const f of fs) out = out.split(f).join(MASK);
      return out;
    }
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [walk(k) as string, walk(x)]));
    }
    return v;
  };
  return walk(value) as T;
}

/**
 * A sink that masks secrets in what a step says (its output and detail); its name, status and codes
 * are the code's own and stay as they are, valid for the platform whatever the secrets are. Callers
 * still redact before cutting output to its tail: a secret cut in half would no longer match here.
 */
export function redactingSink(sink: StepSink, secrets: readonly string[]): StepSink {
  return {
    report: (step) =>
      sink.report({
        ...step,
        ...(step.output === undefined ? {} : { output: redact(step.output, secrets) }),
        ...(step.detail === undefined ? {} : { detail: redactDeep(step.detail, secrets) }),
      }),
  };
}
