import { checkSharedSecret } from "../../security/check-shared-secret";
import type { ParsedSettings, SenderContext, SenderVerdict } from "../kit";
import type { postmenSettings } from "./postmen-settings";

/**
 * The URL's `secret` (seed 002's documented check) is required: without POSTMEN_WEBHOOK_SECRET the
 * carrier is not configured, even if POSTMEN_HMAC_SECRET is set. It needs no body, so a request
 * without it is refused before its body is read; the signature is `verifyPostmenSignature`.
 */
export function verifyPostmenSender(
  ctx: SenderContext,
  settings: ParsedSettings<typeof postmenSettings>,
): Promise<SenderVerdict> {
  return checkSharedSecret(ctx.url.searchParams.get("secret"), settings.POSTMEN_WEBHOOK_SECRET);
}
