import type { Settings } from '../../functions/platform/config';

/**
 * The environment of a platform function. Keys are the settings `functions/platform/config.ts`
 * reads, so a renamed or misspelt variable fails the typecheck instead of being ignored at run time.
 */
export type FunctionSettings = Partial<Record<keyof Settings, string>>;

/** Bounds the config module enforces; checked at synth so a bad value fails here, not at cold start. */
export function requireInRange(name: keyof Settings, value: number, min: number, max: number): string {
  if (!Number.isInteger(value) || value < min || value > max)
    throw new Error(`${name} must be an integer from ${min} to ${max}, got ${value}`);
  return String(value);
}
