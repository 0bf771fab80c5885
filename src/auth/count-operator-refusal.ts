import type { Context } from "hono";
import type { AppEnv } from "../app-env";
import { countRejection } from "../rejections/count-rejection";
import { OPERATOR } from "../rejections/pseudo-carriers";

/** Why an operator request was refused: the reasons the hourly counts (and the audit page) show. */
export type OperatorRefusal =
  | "unauthorized"
  | "sign_in_failed"
  | "unknown_key"
  | "key_revoked"
  | "access_refused"
  | "missing_role";

/**
 * Counts a refused operator credential (a wrong bearer, a failed sign-in, a revoked key, a bad
 * Access token, a missing role) with the request counters, under the pseudo-carrier `operator`: an
 * hourly count per reason, never a row per attempt. It shows in /api/stats, /metrics and the audit
 * log's failed sign-ins, and never raises sender_rejected.
 */
export function countOperatorRefusal(c: Context<AppEnv>, code: OperatorRefusal): void {
  const ctx = c.executionCtx;
  const status = code === "missing_role" ? 403 : 401;
  countRejection(c.env.DB, (p) => ctx.waitUntil(p), { at: new Date(), carrier: OPERATOR, status, code });
}
