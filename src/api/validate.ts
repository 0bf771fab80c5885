import type { Context, MiddlewareHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import type { GenericSchema, InferOutput } from "valibot";
import type { AppEnv } from "../app-env";
import { ApiError } from "../errors/api-error";
import { parseInput } from "../operator/parse-input";

const JSON_TYPE = /^application\/([\w.-]+\+)?json$/i;

/**
 * The operator core's schema over a route's query or JSON body, for `c.req.valid(target)`: 400
 * `invalid_request` with every issue. What hono/validator did for these two targets, without its
 * form and cookie readers: a repeated query key is an array, a body whose media type is not JSON
 * is `{}` (requireJson refuses those first), a malformed JSON body is a 400.
 */
export function validate<T extends "query" | "json", S extends GenericSchema>(
  target: T,
  schema: S,
): MiddlewareHandler<AppEnv, string, { out: { [K in T]: InferOutput<S> } }> {
  return async (c, next) => {
    let value: unknown = {};
    if (target === "query") {
      value = Object.fromEntries(Object.entries(c.req.queries()).map(([k, v]) => [k, v.length === 1 ? v[0] : v]));
    } else if (JSON_TYPE.test(c.req.header("Content-Type")?.split(";")[0]?.trim() ?? "")) {
      try {
        value = await c.req.json();
      } catch {
        throw new HTTPException(400, { message: "Malformed JSON in request body" });
      }
    }
    c.req.addValidatedData(target, parseInput(schema, value) as object);
    await next();
  };
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
