import type { MiddlewareHandler, ValidationTargets } from "hono";
import { validator } from "hono-openapi";
import type { GenericSchema } from "valibot";
import { ApiError, type Issue } from "../errors/api-error";

/** Standard Schema issues as the API's `{ path, message }` pairs (path: dotted, `$` for the whole). */
interface SchemaIssue {
  readonly message: string;
  readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> | undefined;
}

export function toIssues(issues: readonly SchemaIssue[]): Issue[] {
  return issues.map((issue) => ({
    path:
      issue.path?.map((p) => String(typeof p === "object" && p !== null && "key" in p ? p.key : p)).join(".") || "$",
    message: issue.message,
  }));
}

/**
 * hono-openapi's validator (it also puts the schema in the OpenAPI document) with the API's own
 * failure: 400 `invalid_request` with every issue.
 */
export function validate<S extends GenericSchema, T extends keyof ValidationTargets>(target: T, schema: S) {
  return validator(
    target,
    schema,
    (result) => {
      if (!result.success) throw new ApiError("invalid_request", toIssues(result.error));
    },
    // Describe what a client sends (a query's `limit` is a string of digits), not what it becomes.
    { options: { typeMode: "input" } },
  );
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
