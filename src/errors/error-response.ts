import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { AppEnv } from "../app-env";
import { ApiError, type ErrorCode } from "./api-error";
import { errorText } from "./error-text";
import { isStorageFailure } from "./is-storage-failure";

/** The public answer for any failure: the one place internal errors become `{ error: {...} }`. */
export function errorResponse(err: unknown, c: Context<AppEnv>): Response {
  const apiError = toApiError(err);
  c.set("errorCode", apiError.code);
  if (apiError.status >= 500 && (apiError.code === "internal_error" || !(err instanceof ApiError))) {
    // Log the class and message only (the message says what failed: a decode, a D1 error), never
    // the stack or a payload, which could carry secrets.
    console.error(
      JSON.stringify({
        msg: apiError.code === "internal_error" ? "unhandled_error" : "storage_failed",
        error: String((err as Error)?.name ?? err),
        message: errorText(err),
        path: c.req.path,
      }),
    );
  }
  const body: { error: { code: ErrorCode; message: string; issues?: ApiError["issues"]; required_role?: string } } = {
    error: { code: apiError.code, message: apiError.message },
  };
  if (apiError.requiredRole) body.error.required_role = apiError.requiredRole;
  if (apiError.issues) body.error.issues = apiError.issues;
  return c.json(body, apiError.status);
}

export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof HTTPException) {
    switch (err.status) {
      case 400:
        return new ApiError("invalid_request");
      case 401:
        return new ApiError("unauthorized");
      case 403:
        return new ApiError("forbidden");
      case 404:
        return new ApiError("not_found");
      case 405:
        return new ApiError("method_not_allowed");
      case 413:
        return new ApiError("payload_too_large");
    }
  }
  // D1 failing under an operator's read or replay is a 503 to retry, as on the webhook routes.
  if (isStorageFailure(err)) return new ApiError("storage_unavailable");
  return new ApiError("internal_error");
}
