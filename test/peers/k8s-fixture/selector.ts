/**
 * Equality-based label selectors (`a=b`, `a==b`, `a!=b`, `a`, `!a`, comma-joined), as the API
 * server parses them. Set-based ones (`a in (x,y)`) are refused: nothing the runner sends uses them,
 * and a fixture that half-understood them would pass tests a real server might fail.
 */
import { StatusError } from './resources';

const KEY = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;

export function matchLabels(selector: string): (labels: Record<string, string>) => boolean {
  const bad = (part: string) =>
    new StatusError(
      400,
      'BadRequest',
      `unable to parse requirement: found '${part}', expected: key, !key, key=value or key!=value`,
    );
  if (selector.includes('(')) throw bad(selector);
  const tests = selector
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)
    .map((part) => {
      const m = /^([^=!]+?)\s*(==|=|!=)\s*(.*)$/.exec(part);
      if (m) {
        const [, key = '', op, value = ''] = m;
        if (!KEY.test(key) || !VALUE.test(value)) throw bad(part);
        return (l: Record<string, string>) => (op === '!=' ? l[key] !== value : l[key] === value);
      }
      const negate = part.startsWith('!');
      const key = negate ? part.slice(1) : part;
      if (!KEY.test(key)) throw bad(part);
      return (l: Record<string, string>) => key in l !== negate;
    });
  return (labels) => tests.every((t) => t(labels));
}
