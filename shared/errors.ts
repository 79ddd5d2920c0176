/**
 * The closed set of error codes the platform speaks, API and job steps alike, and the HTTP
 * status each maps to. Adding a code means adding it here; nothing else invents codes.
 */
export const ERROR_STATUS = {
  BAD_REQUEST: 400,
  VALIDATION_FAILED: 422,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  ALREADY_EXISTS: 409,
  ILLEGAL_TRANSITION: 409,
  IN_USE: 409,
  PREVIEW_USED: 409,
  PREVIEW_EXPIRED: 409,
  PREVIEW_STALE: 409,
  TARGET_BUSY: 409,
  TICKET_USED: 409,
  TICKET_EXPIRED: 409,
  TICKET_NOT_APPROVED: 409,
  TICKET_DECIDED: 409,
  SELF_APPROVAL: 403,
  /** A reveal ticket asked for an earlier version of the credential's secret. */
  CREDENTIAL_ROTATED: 409,
  NO_RUNNER_POOL: 409,
  LEASE_LOST: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  THROTTLED: 429,
  NOT_READY: 503,
  INTERNAL: 500,
  // Job step errors (no HTTP status of their own; reported in diagnostics and step rows).
  HOST_KEY_MISMATCH: 409,
  CHECKSUM_MISMATCH: 409,
  PREFLIGHT_ARCH: 409,
  PREFLIGHT_IPVS: 409,
  SSH_AUTH: 409,
  TIMEOUT: 409,
  APPLY_FAILED: 409,
  SSH_CONNECT: 409,
  COMMAND_FAILED: 409,
  COMPOSE_NOT_FOUND: 409,
  IMAGE_PULL_FAILED: 409,
  ROLLOUT_FAILED: 409,
  CLUSTER_UNREACHABLE: 409,
  K8S_REJECTED: 409,
  DEAD_LETTERED: 409,
  /** A queued job whose release or install task was cancelled, or whose approved release expired. */
  CANCELLED: 409,
  PREFLIGHT_OS: 409,
  PREFLIGHT_DISK: 409,
  PREFLIGHT_PORT: 409,
  PREFLIGHT_COMPOSE: 409,
  BUNDLE_MISSING: 409,
  RUNNER_REVOKED: 401,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof ERROR_STATUS;

export type FieldError = { path: string; message: string };

export type ErrorBody = {
  error: { code: ErrorCode; message: string; fields: FieldError[]; request_id: string };
};
