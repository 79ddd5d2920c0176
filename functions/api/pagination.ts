import { invalid } from './errors';

/** Cursors are the last id of a page, wrapped so clients treat them as opaque. */
export const encodeCursor = (lastId: string) => Buffer.from(lastId, 'utf8').toString('base64url');

export function decodeCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^[a-z]+_[0-9a-z]+$/.test(id)) throw invalid('cursor', 'not a cursor this API issued');
  return id;
}

/** Asks for one row more than the page to know whether there is a next page. */
export function page<T extends { id: string }>(rows: T[], limit: number) {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, next_cursor: rows.length > limit && last ? encodeCursor(last.id) : null };
}
