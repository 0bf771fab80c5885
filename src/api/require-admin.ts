import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../app-env";
import { readConfig } from "../config";
import { ApiError } from "../errors/api-error";
import { matchesAnySecret } from "../security/matches-any-secret";

// RFC 6750's `Bearer <token68>`, the scheme case-insensitive (as Hono's bearerAuth reads it). Not
// that middleware itself: every refusal here is the one `unauthorized` answer, so all it would add
// is its own refusal responses, which were thrown away (about 0.9 KiB gzip of the bundle).
const BEARER = /^bearer +([A-Za-z0-9._~+/-]+=*)$/i;

/** `Authorization: Bearer <ADMIN_TOKEN>`; 503 `admin_not_configured` when no token is set. */
export const requireAdmin: MiddlewareHandler<AppEnv> = async (c, next) => {
  const tokens = readConfig(c.env).secrets.ADMIN_TOKEN;
  if (tokens.length === 0) throw new ApiError("admin_not_configured");
  // A missing, malformed or wrong header: one answer, which never says which. The token is checked
  // in constant time against every value of ADMIN_TOKEN (a comma list, so it can be rotated).
  const token = BEARER.exec(c.req.header("Authorization") ?? "")?.[1];
  if (!matchesAnySecret(token, tokens)) throw new ApiError("unauthorized");
  await next();
};
