import { readConfig } from "../config";
import { ApiError } from "../errors/api-error";

/**
 * 503 `admin_not_configured` with the reason when the operator surfaces cannot be opened safely:
 * ADMIN_TOKEN set but refused (a weak token is never worked around), or unset with no other way
 * in (Cloudflare Access). Keys need a way in to be created, so they do not count.
 */
export function checkOperatorConfig(env: Env): void {
  const config = readConfig(env);
  if (config.adminRefusal === null) return;
  if (config.secrets.ADMIN_TOKEN.length === 0 && config.access !== null) return;
  throw new ApiError("admin_not_configured", undefined, config.adminRefusal);
}
