import type { ContentfulStatusCode } from "hono/utils/http-status";

export interface Issue {
  path: string;
  message: string;
}

export type ErrorCode =
  | "malformed_json"
  | "unauthorized"
  | "forbidden"
  | "missing_role"
  | "not_found"
  | "method_not_allowed"
  | "payload_too_large"
  | "invalid_payload"
  | "invalid_request"
  | "managed_by_config"
  | "carrier_not_configured"
  | "sender_keys_unavailable"
  | "storage_unavailable"
  | "admin_not_configured"
  | "access_unavailable"
  | "destinations_not_configured"
  | "internal_error";

const MESSAGES: Record<ErrorCode, [ContentfulStatusCode, string]> = {
  malformed_json: [400, "The body is not valid JSON."],
  invalid_request: [400, "The request's parameters are not valid."],
  // One message for every failed check, so an answer never tells which check failed.
  unauthorized: [401, "The request could not be authenticated."],
  forbidden: [403, "The request's source address is not allowed."],
  // The one refusal that names what is missing: the caller is known, and the role table is public.
  missing_role: [403, "The credential lacks the role this needs."],
  not_found: [404, "No such route."],
  method_not_allowed: [405, "This method is not allowed on this route."],
  managed_by_config: [
    409,
    "The destination `default` is FORWARD_URL and FORWARD_SIGNING_SECRET: only `paused` can change here.",
  ],
  payload_too_large: [413, "The body is larger than this receiver accepts."],
  invalid_payload: [422, "The body is not a valid event of this carrier; it was kept in quarantine."],
  carrier_not_configured: [503, "This carrier is not configured on this receiver; retry later."],
  sender_keys_unavailable: [503, "The sender's signing keys could not be fetched; nothing was accepted, retry later."],
  // Not "nothing was changed": D1 may have committed before its answer was lost. A retry is safe
  // everywhere (a carrier's is a duplicate; an operator's replay or pause is idempotent).
  storage_unavailable: [503, "Storage is unavailable; retry later."],
  admin_not_configured: [503, "The operator API is not configured on this receiver."],
  // Never an open door: without the team's certificates no Access sign-in is taken.
  access_unavailable: [503, "Cloudflare Access's signing keys cannot be reached; retry later."],
  destinations_not_configured: [
    503,
    "DESTINATIONS_KEY is not set (or shorter than 32 characters): destination secrets cannot be stored.",
  ],
  internal_error: [500, "Something went wrong."],
};

/** A failure with a public answer. Anything else thrown becomes `internal_error`. */
export class ApiError extends Error {
  readonly status: ContentfulStatusCode;
  constructor(
    readonly code: ErrorCode,
    readonly issues?: Issue[],
    message?: string,
    /** For `missing_role`: the role the route needs, also as a field of the answer. */
    readonly requiredRole?: string,
  ) {
    const [status, fallback] = MESSAGES[code];
    super(message ?? fallback);
    this.status = status;
  }
}
