import type { ContentfulStatusCode } from "hono/utils/http-status";

export interface Issue {
  path: string;
  message: string;
}

export type ErrorCode =
  | "malformed_json"
  | "unauthorized"
  | "forbidden"
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
  | "destinations_not_configured"
  | "internal_error";

const MESSAGES: Record<ErrorCode, [ContentfulStatusCode, string]> = {
  malformed_json: [400, "The body is not valid JSON."],
  invalid_request: [400, "The request's parameters are not valid."],
  // One message for every failed check, so an answer never tells which check failed.
  unauthorized: [401, "The request could not be authenticated."],
  forbidden: [403, "The request's source address is not allowed."],
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
  storage_unavailable: [503, "Storage is unavailable; nothing was accepted, retry later."],
  admin_not_configured: [503, "The operator API is not configured on this receiver."],
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
  ) {
    const [status, fallback] = MESSAGES[code];
    super(message ?? fallback);
    this.status = status;
  }
}
