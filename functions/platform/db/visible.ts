import { type Column, inArray, type SQL, sql } from 'drizzle-orm';

/**
 * The condition "this row's project is one the caller may see": no condition for `all`, nothing
 * for an empty list (an empty IN list is not valid SQL), else the list.
 */
export function inVisibleProjects(column: Column, projects: 'all' | string[]): SQL | undefined {
  if (projects === 'all') return undefined;
  return projects.length ? inArray(column, projects) : sql`false`;
}
