import type { Permission } from '../../shared/permissions';
import type { PageWindow, VisibleProjects } from '../platform/db/visible';
import { invalid } from './errors';
import type { Grants } from './rbac/enforcer';

/** Cursors are the last id of a page, wrapped so clients treat them as opaque. */
export const encodeCursor = (lastId: string) => Buffer.from(lastId, 'utf8').toString('base64url');

export function decodeCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^[a-z]+_[0-9a-z]+$/.test(id)) throw invalid('cursor', 'not a cursor this API issued');
  return id;
}

/** How a list's rows are ordered for keyset paging: the key of a row, and a cursor back to a key. */
export type Keyset<Row, Key> = { keyOf: (row: Row) => string; decode: (cursor: string) => Key };

/** Most lists page by id: ids are time-ordered, so id order is stable and creation order. */
export const byId: Keyset<{ id: string }, string> = {
  keyOf: (row) => encodeCursor(row.id),
  decode: (cursor) => decodeCursor(cursor) as string,
};

export type Page<Item> = { items: Item[]; next_cursor: string | null };
type PageQuery = { cursor?: string; limit: number };

type ListSpec<Row, Item, Key> = {
  read: (w: PageWindow<Key>) => Promise<Row[]>;
  view: (row: Row) => Item;
  keyset?: Keyset<Row, Key>;
};

/**
 * One page of a list: decodes the cursor (422 on one this API did not issue), reads one row more
 * than the page to know whether there is a next one, and shows each row of the page.
 */
export async function listPage<Row, Item, Key = string>(
  q: PageQuery,
  spec: ListSpec<Row, Item, Key>,
): Promise<Page<Item>> {
  const keyset = spec.keyset ?? (byId as unknown as Keyset<Row, Key>);
  const after = q.cursor === undefined ? undefined : keyset.decode(q.cursor);
  const rows = await spec.read({ after, limit: q.limit + 1 });
  const items = rows.slice(0, q.limit);
  const last = items.at(-1);
  return {
    items: items.map((row) => spec.view(row)),
    next_cursor: rows.length > q.limit && last !== undefined ? keyset.keyOf(last) : null,
  };
}

/**
 * A page of rows of the projects where the caller holds `permission`: the repo is given those
 * projects with the window, so rows of any other project are never read.
 */
export async function listVisible<Row, Item, Key = string>(
  grants: Pick<Grants, 'projectsWith'>,
  permission: Permission,
  q: PageQuery,
  spec: Omit<ListSpec<Row, Item, Key>, 'read'> & {
    read: (w: PageWindow<Key> & { projects: VisibleProjects }) => Promise<Row[]>;
  },
): Promise<Page<Item>> {
  const projects = await grants.projectsWith(permission);
  return listPage(q, { ...spec, read: (w) => spec.read({ ...w, projects }) });
}
