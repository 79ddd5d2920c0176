import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The outbox marker: whatever queues a job, or hands waiting jobs a pool, marks the request it
 * runs in, and the app sends queue messages after exactly those requests, whatever their path.
 * A marked request whose transaction rolled back only makes dispatch find nothing to send.
 */
type Marker = { queued: boolean };
const current = new AsyncLocalStorage<Marker>();

/** Runs `fn` with a fresh marker and says whether anything in it queued a job. */
export async function trackQueued(fn: () => Promise<void>): Promise<boolean> {
  const marker: Marker = { queued: false };
  await current.run(marker, fn);
  return marker.queued;
}

/** Outside a request (a sweep, a test's direct call) there is no marker: the sweep sends. */
export function markQueued(): void {
  const marker = current.getStore();
  if (marker) marker.queued = true;
}
