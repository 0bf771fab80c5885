import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../app-env";
import { hasSession } from "../dashboard/session";
import { SignInPage } from "../dashboard/sign-in-page";
import { ApiError } from "../errors/api-error";
import { ADMIN_TOKEN_ACTOR } from "./actor";
import { accessActorOf } from "./authenticate";
import { requireRole } from "./require-role";

/**
 * The dashboard's door: a Cloudflare Access sign-in (its JWT comes with every request), else the
 * session cookie an ADMIN_TOKEN sign-in set; then the route's role. Without either, a GET shows
 * the sign-in page and anything else is 401.
 */
export const dashboardDoor: MiddlewareHandler<AppEnv> = async (c, next) => {
  const actor = (await accessActorOf(c)) ?? ((await hasSession(c)) ? ADMIN_TOKEN_ACTOR : null);
  if (actor) {
    c.set("actor", actor);
    return requireRole(c, next);
  }
  if (c.req.method === "GET") return c.html(SignInPage({}), 200);
  throw new ApiError("unauthorized");
};
