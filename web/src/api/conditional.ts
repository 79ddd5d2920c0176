/**
 * Polling with `If-None-Match` (SPEC §7.1 "Live"): the API answers 304 with no body while what it
 * would send is unchanged, so a page that polls keeps what it has. 304 is not `ok` for fetch, so
 * it is told apart here before the error path.
 */
type Result<T> = { data?: T; error?: unknown; response: Response };

export type Revalidated<T> = { notModified: true } | { notModified: false; data: T; etag: string | null };

export async function revalidate<T>(
  etag: string | null | undefined,
  call: (headers: Record<string, string>) => Promise<Result<T>>,
  ok: (r: Promise<Result<T>>) => Promise<T>,
): Promise<Revalidated<T>> {
  const result = await call(etag ? { 'If-None-Match': etag } : {});
  if (result.response.status === 304) return { notModified: true };
  const data = await ok(Promise.resolve(result));
  return { notModified: false, data, etag: result.response.headers.get('ETag') };
}
