import type { MiddlewareHandler } from "hono";
import { bearerAuth } from "hono/bearer-auth";
import { HTTPException } from "hono/http-exception";
import type { AppEnv } from "../app-env";
import { readConfig } from "../config";
import { ApiError } from "../errors/api-error";
import { matchesAnySecret } from "../security/matches-any-secret";

// Hono's bearer auth parses the header; the token is checked in constant time against every
// value of ADMIN_TOKEN (a comma list, so the token can be rotated).
const bearer = bearerAuth({
  verifyToken: (token, c) => matchesAnySecret(token, readConfig(c.env as Env).secrets.ADMIN_TOKEN),
}) as unknown as MiddlewareHandler<AppEnv>;

/** `Authorization: Bearer <ADMIN_TOKEN>`; 503 `admin_not_configured` when no token is set. */
export const requireAdmin: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (readConfig(c.env).secrets.ADMIN_TOKEN.length === 0) throw new ApiError("admin_not_configured");
  try {
    await bearer(c, next);
  } catch (err) {
    // A missing, malformed or wrong header: one answer, which never says which.
    if (err instanceof HTTPException && (err.status === 400 || err.status === 401)) throw new ApiError("unauthorized");
    throw err;
  }
};
