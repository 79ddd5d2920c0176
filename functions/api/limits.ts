export const API_BASE = '/api/v1';
/** SPEC §3: request bodies above 1 MiB are refused before they are read whole. */
export const MAX_BODY_BYTES = 1024 * 1024;
