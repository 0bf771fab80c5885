import { checkSharedSecret } from "../../security/check-shared-secret";
import type { ParsedSettings, SenderContext, SenderVerdict } from "../kit";
import type { peddlerSettings } from "./peddler-settings";

/** Peddler sends a plain shared token (not an HMAC) in `x-webhook-shared-token`. */
export function verifyPeddlerSender(
  ctx: SenderContext,
  settings: ParsedSettings<typeof peddlerSettings>,
): Promise<SenderVerdict> {
  return checkSharedSecret(ctx.headers.get("x-webhook-shared-token"), settings.PEDDLER_WEBHOOK_TOKEN);
}
