/**
 * SPEC §7.5: no string the platform accepts holds NUL or an unpaired UTF-16 surrogate. Postgres
 * stores neither (text and jsonb refuse NUL; a lone surrogate has no UTF-8 form), and both are
 * ways to make two strings look alike. The API refuses them; the runner replaces them in what it
 * reports, since command output may hold anything.
 */

// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is what the rule refuses
const HOSTILE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const HOSTILE_ALL = new RegExp(HOSTILE.source, 'g');

/** Why a string is refused, or null when it is fine. */
export function stringProblem(s: string): string | null {
  const m = HOSTILE.exec(s);
  if (!m) return null;
  return m[0] === '\u0000' ? 'must not contain NUL characters' : 'must not contain unpaired surrogates';
}

/** The string with each NUL and unpaired surrogate replaced by U+FFFD. */
export function wellFormed(s: string): string {
  return HOSTILE.test(s) ? s.replace(HOSTILE_ALL, '\uFFFD') : s;
}
