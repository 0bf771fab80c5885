import { readConfig } from "../../config";
import { checkSharedSecret } from "../../security/check-shared-secret";
import type { SenderContext, SenderVerdict } from "../carrier";

/**
 * The URL's `secret` (seed 002's documented check) is required: without POSTMEN_WEBHOOK_SECRET the
 * carrier is not configured, even if POSTMEN_HMAC_SECRET is set. It needs no body, so a request
 * without it is refused before its body is read; the signature is `verifyPostmenSignature`.
 */
export function verifyPostmenSender(ctx: SenderContext, env: Env): Promise<SenderVerdict> {
  return checkSharedSecret(ctx.url.searchParams.get("secret"), readConfig(env).secrets.POSTMEN_WEBHOOK_SECRET);
}
