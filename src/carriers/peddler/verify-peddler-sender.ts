import { readConfig } from "../../config";
import { checkSharedSecret } from "../../security/check-shared-secret";
import type { SenderContext, SenderVerdict } from "../carrier";

/** Peddler sends a plain shared token (not an HMAC) in `x-webhook-shared-token`. */
export function verifyPeddlerSender(ctx: SenderContext, env: Env): Promise<SenderVerdict> {
  return checkSharedSecret(ctx.headers.get("x-webhook-shared-token"), readConfig(env).secrets.PEDDLER_WEBHOOK_TOKEN);
}
