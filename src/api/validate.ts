import { sValidator } from "@hono/standard-validator";
import type { Context, MiddlewareHandler } from "hono";
import type { BaseIssue, GenericSchema } from "valibot";
import { ApiError } from "../errors/api-error";
import { publicIssues } from "../webhooks/validate-payload";

/**
 * The operator core's schema over a route's query or JSON body, for `c.req.valid(target)`:
 * `@hono/standard-validator`, whose hook turns a failure into 400 `invalid_request` with every
 * issue (src/errors answers it), never the validator's own `{ success, error }` body. Its reading:
 * a repeated query key is an array; a malformed JSON body is an HTTPException 400, thrown before
 * the hook, which src/errors answers as `invalid_request` too; a body whose media type is not JSON
 * is read as `{}`, so the hook refuses it for the `json` target (as requireJson does first).
 */
export function validate<T extends "query" | "json", S extends GenericSchema>(target: T, schema: S) {
  return sValidator(target, schema, (result, c) => {
    if (target === "json") refuseNonJson(c);
    // A valibot schema's Standard Schema issues are valibot's own, paths included.
    if (!result.success) throw new ApiError("invalid_request", publicIssues(result.error as BaseIssue<unknown>[]));
  });
}

/** An operator's filter must never silently become "no filter": a body not sent as JSON is refused. */
function refuseNonJson(c: Context): void {
  if (!/^application\/json\b/i.test(c.req.header("content-type") ?? "")) {
    throw new ApiError("invalid_request", [{ path: "$", message: "Send the body as application/json." }]);
  }
}

/** Refuses a body not sent as JSON before anything reads it (the validator's hook checks it too). */
export const requireJson: MiddlewareHandler = async (c, next) => {
  refuseNonJson(c);
  await next();
};

/**
 * A body that may be left out (POST /api/events/{id}/replay): none at all is `{}`; one that is
 * there must be JSON (sent as application/json), for the same reason as above.
 */
export async function optionalJsonBody(c: Context): Promise<unknown> {
  const text = await c.req.text();
  if (text.trim() === "") return {};
  refuseNonJson(c);
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError("invalid_request", [{ path: "$", message: "The body is not valid JSON." }]);
  }
}
