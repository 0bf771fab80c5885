import { checkSharedSecret } from "../../security/check-shared-secret";
import type { ParsedSettings, SenderContext, SenderVerdict } from "../kit";
import type { swiftpodSettings } from "./swiftpod-settings";

/** SwiftPOD signs nothing and has no secret field: the URL we subscribe carries our own `secret`. */
export function verifySwiftpodSender(
  ctx: SenderContext,
  settings: ParsedSettings<typeof swiftpodSettings>,
): Promise<SenderVerdict> {
  return checkSharedSecret(ctx.url.searchParams.get("secret"), settings.SWIFTPOD_WEBHOOK_SECRET);
}
