import { ipInCidrs } from "../../security/ip-in-cidrs";
import type { ParsedSettings, SenderContext, SenderVerdict } from "../kit";
import type { inpostSettings } from "./inpost-settings";

/**
 * InPost signs nothing: the source address is the only check. `clientIp` is `CF-Connecting-IP`, which
 * Cloudflare sets itself; X-Forwarded-For and X-Real-IP are client-controlled and never consulted.
 */
export async function verifyInpostSender(
  ctx: SenderContext,
  settings: ParsedSettings<typeof inpostSettings>,
): Promise<SenderVerdict> {
  return ipInCidrs(ctx.clientIp, settings.INPOST_ALLOWED_CIDRS) ? "ok" : "forbidden";
}
