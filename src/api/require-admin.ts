import type { Context } from "hono";
import type { AppEnv } from "../app-env";
import { checkOperatorConfig } from "../auth/check-operator-config";
import { readConfig } from "../config";

export { countOperatorRefusal } from "../auth/count-operator-refusal";

/**
 * The usable values of ADMIN_TOKEN (none when only Cloudflare Access signs operators in), or 503
 * `admin_not_configured` with the reason (unset with no Access, shorter than 32 characters, not
 * token68): the operator API, the dashboard and /metrics alike.
 */
export function operatorTokens(c: Context<AppEnv>): string[] {
  checkOperatorConfig(c.env);
  return readConfig(c.env).adminTokens;
}
