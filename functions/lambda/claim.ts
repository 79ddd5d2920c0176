import { lambdaHandler } from './handler';

/**
 * The runner claim route on a function of its own (infra/lib/constructs/api.ts). An idle runner
 * keeps one long poll open at all times and Lambda bills the wait by memory, so the claim runs at
 * a quarter of the API's memory with its own concurrency; it is the same app and code path.
 */
export const handler = lambdaHandler(new URL('./migrations', import.meta.url).pathname);
