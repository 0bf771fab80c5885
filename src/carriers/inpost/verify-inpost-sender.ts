import { ipInCidrs } from "../../security/ip-in-cidrs";
import type { SenderContext, SenderVerdict } from "../carrier";

/** InPost's documented source range, production and sandbox alike. */
export const DEFAULT_INPOST_CIDRS = "91.216.25.0/24";

/**
 * InPost signs nothing: the source address is the only check. `clientIp` is `CF-Connecting-IP`, which
 * Cloudflare sets itself; X-Forwarded-For and X-Real-IP are client-controlled and never consulted.
 */
export async function verifyInpostSender(ctx: SenderContext, env: Env): Promise<SenderVerdict> {
  const configured = env.INPOST_ALLOWED_CIDRS?.trim() || DEFAULT_INPOST_CIDRS;
  return ipInCidrs(ctx.clientIp, configured) ? "ok" : "forbidden";
}
