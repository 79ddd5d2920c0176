import { and, type Column, eq, gt, inArray, type SQL, sql } from 'drizzle-orm';

/** The projects a caller may see rows of: every one, or a list (possibly empty). */
export type VisibleProjects = 'all' | string[];

/**
 * The condition "this row's project is one the caller may see": no condition for `all`, nothing
 * for an empty list (an empty IN list is not valid SQL), else the list.
 */
export function inVisibleProjects(column: Column, projects: VisibleProjects): SQL | undefined {
  if (projects === 'all') return undefined;
  return projects.length ? inArray(column, projects) : sql`false`;
}

/** The slice of rows one page reads: past the cursor's key, one row more than the page. */
export type PageWindow<Key = string> = { after?: Key; limit: number };

/** What a list of project-owned rows reads: the page window, the visible projects, one project. */
export type VisibleWindow = PageWindow & { projects: VisibleProjects; projectId?: string };

/**
 * The rows of one page of a project-owned table in id order: past the cursor's id, in the
 * projects the caller may see, optionally in one of them.
 */
export function visiblePage(table: { id: Column; projectId: Column }, w: VisibleWindow): SQL | undefined {
  return and(
    w.after ? gt(table.id, w.after) : undefined,
    w.projectId ? eq(table.projectId, w.projectId) : undefined,
    inVisibleProjects(table.projectId, w.projects),
  );
}
