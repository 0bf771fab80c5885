import { sValidator } from "@hono/standard-validator";
import type { Context, MiddlewareHandler } from "hono";
import type { BaseIssue, GenericSchema } from "valibot";
import { ApiError } from "../errors/api-error";
import { publicIssues } from "../webhooks/validate-payload";

/**
 * The operator core's schema over a route's query or JSON body, for `c.req.valid(target)`:
 * `@hono/standard-validator`, whose hook turns a failure into 400 `invalid_request` with every
 * issue (src/errors answers it), never the validator's own `{ success, error }` body. Its reading:
 * a repeated query key is an array; a body whose media type is not JSON is `{}` (requireJson
 * refuses those first); a malformed JSON body is an HTTPException 400, which src/errors answers as
 * `invalid_request` too.
 */
export function validate<T extends "query" | "json", S extends GenericSchema>(target: T, schema: S) {
  return sValidator(target, schema, (result) => {
    // A valibot schema's Standard Schema issues are valibot's own, paths included.
    if (!result.success) throw new ApiError("invalid_request", publicIssues(result.error as BaseIssue<unknown>[]));
  });
}

/**
 * Hono's JSON validator reads a body without a JSON Content-Type as `{}`; an operator's filter
 * must never silently become "no filter", so such a body is refused outright.
 */
export const requireJson: MiddlewareHandler = async (c, next) => {
  const type = c.req.header("content-type") ?? "";
  if (!/^application\/json\b/i.test(type)) {
    throw new ApiError("invalid_request", [{ path: "$", message: "Send the body as application/json." }]);
  }
  await next();
};

/**
 * A body that may be left out (POST /api/events/{id}/replay): none at all is `{}`; one that is
 * there must be JSON (sent as application/json), for the same reason as above.
 */
export async function optionalJsonBody(c: Context): Promise<unknown> {
  const text = await c.req.text();
  if (text.trim() === "") return {};
  if (!/^application\/json\b/i.test(c.req.header("content-type") ?? "")) {
    throw new ApiError("invalid_request", [{ path: "$", message: "Send the body as application/json." }]);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError("invalid_request", [{ path: "$", message: "The body is not valid JSON." }]);
  }
}
