import { readConfig } from "../../config";
import { ipInCidrs } from "../../security/ip-in-cidrs";
import type { SenderContext, SenderVerdict } from "../carrier";

/**
 * InPost signs nothing: the source address is the only check. `clientIp` is `CF-Connecting-IP`, which
 * Cloudflare sets itself; X-Forwarded-For and X-Real-IP are client-controlled and never consulted.
 */
export async function verifyInpostSender(ctx: SenderContext, env: Env): Promise<SenderVerdict> {
  return ipInCidrs(ctx.clientIp, readConfig(env).inpostAllowedCidrs) ? "ok" : "forbidden";
}
