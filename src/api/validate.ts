import type { Context, MiddlewareHandler, ValidationTargets } from "hono";
import { validator } from "hono/validator";
import type { GenericSchema, InferOutput } from "valibot";
import { ApiError } from "../errors/api-error";
import { parseInput } from "../operator/parse-input";

/** Hono's validator with the operator core's schema and failure: 400 `invalid_request` with every issue. */
export function validate<T extends keyof ValidationTargets, S extends GenericSchema>(target: T, schema: S) {
  return validator(target, (value) => parseInput(schema, value) as InferOutput<S>);
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
