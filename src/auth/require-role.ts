import type { Context, MiddlewareHandler } from "hono";
import { matchedRoutes } from "hono/route";
import type { AppEnv } from "../app-env";
import { ApiError } from "../errors/api-error";
import { authenticate } from "./authenticate";
import { countOperatorRefusal } from "./count-operator-refusal";
import { grants, type Role } from "./roles";
import { ROUTE_ROLES } from "./route-roles";

/**
 * The role the request's route needs, from ROUTE_ROLES; `admin` for a route missing there (closed,
 * not open); null when no route answers (the 404 or 405 that follows opens nothing).
 */
export async function neededRole(c: Context<AppEnv>): Promise<Role | "signed_in" | null> {
  const handler = matchedRoutes(c).findLast((r) => r.method !== "ALL");
  if (!handler) return null;
  const rule = ROUTE_ROLES[`${handler.method} ${handler.path}`] ?? "admin";
  return typeof rule === "function" ? rule(c) : rule;
}

/**
 * Checks the request's role against its route, the caller already known (`actor`): 403
 * `missing_role` naming the role it needs. Counted, like a refused credential, under `operator`.
 */
export const requireRole: MiddlewareHandler<AppEnv> = async (c, next) => {
  const actor = c.get("actor");
  if (!actor) throw new ApiError("unauthorized");
  const needed = await neededRole(c);
  if (needed !== null && needed !== "signed_in" && !grants(actor.roles, needed)) {
    countOperatorRefusal(c, "missing_role");
    throw new ApiError("missing_role", undefined, `This needs the role \`${needed}\`.`, needed);
  }
  await next();
};

/** The API's and /metrics' door: who is calling (bearer or Access), then whether their role is enough. */
export const requireOperator: MiddlewareHandler<AppEnv> = async (c, next) => {
  c.set("actor", await authenticate(c));
  await requireRole(c, next);
};
