import type { Context, MiddlewareHandler } from "hono";
import type { AppEnv } from "../app-env";
import { readConfig } from "../config";
import { ApiError } from "../errors/api-error";
import { countRejection } from "../rejections/count-rejection";
import { OPERATOR } from "../rejections/pseudo-carriers";
import { matchesAnySecret } from "../security/matches-any-secret";

// RFC 6750's `Bearer <token68>`, the scheme case-insensitive (as Hono's bearerAuth reads it). Not
// that middleware itself: every refusal here is the one `unauthorized` answer, so all it would add
// is its own refusal responses, which were thrown away (about 0.9 KiB gzip of the bundle).
const BEARER = /^bearer +([A-Za-z0-9._~+/-]+=*)$/i;

/**
 * The operator tokens, or 503 `admin_not_configured` with the reason (unset, shorter than 32
 * characters, not token68): the operator API, the dashboard and /metrics alike.
 */
export function operatorTokens(c: Context<AppEnv>): string[] {
  const config = readConfig(c.env);
  if (config.adminRefusal !== null) throw new ApiError("admin_not_configured", undefined, config.adminRefusal);
  return config.adminTokens;
}

/**
 * Counts a refused operator credential (a wrong bearer, a failed sign-in) with the request
 * counters, under the pseudo-carrier `operator`: it shows in /api/stats and /metrics, and never
 * raises sender_rejected.
 */
export function countOperatorRefusal(c: Context<AppEnv>, code: "unauthorized" | "sign_in_failed"): void {
  const ctx = c.executionCtx;
  countRejection(c.env.DB, (p) => ctx.waitUntil(p), { at: new Date(), carrier: OPERATOR, status: 401, code });
}

/** `Authorization: Bearer <ADMIN_TOKEN>`; 503 `admin_not_configured` when no usable token is set. */
export const requireAdmin: MiddlewareHandler<AppEnv> = async (c, next) => {
  const tokens = operatorTokens(c);
  // A missing, malformed or wrong header: one answer, which never says which. The token is checked
  // in constant time against every value of ADMIN_TOKEN (a comma list, so it can be rotated).
  const token = BEARER.exec(c.req.header("Authorization") ?? "")?.[1];
  if (!matchesAnySecret(token, tokens)) {
    countOperatorRefusal(c, "unauthorized");
    throw new ApiError("unauthorized");
  }
  await next();
};
