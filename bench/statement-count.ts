import { PGlite } from '@electric-sql/pglite';

type Method = (...args: unknown[]) => unknown;

/**
 * Counts the statements PGlite is asked to run while `work` runs, by wrapping its `query` and
 * `exec` for that time: how many round trips a request makes, whatever layer issues them.
 */
export async function countStatements(work: () => Promise<unknown>): Promise<number> {
  let owner: object | null = PGlite.prototype;
  while (owner && !Object.hasOwn(owner, 'query')) owner = Object.getPrototypeOf(owner);
  if (!owner) throw new Error('PGlite has no query method to count');
  const target = owner as Record<'query' | 'exec', Method>;
  const saved = { query: target.query, exec: target.exec };
  let n = 0;
  for (const name of ['query', 'exec'] as const) {
    const original = saved[name];
    target[name] = function (this: unknown, ...args: unknown[]) {
      n += 1;
      return original.apply(this, args);
    };
  }
  try {
    await work();
  } finally {
    target.query = saved.query;
    target.exec = saved.exec;
  }
  return n;
}
