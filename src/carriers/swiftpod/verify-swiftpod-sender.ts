import { readConfig } from "../../config";
import { checkSharedSecret } from "../../security/check-shared-secret";
import type { SenderContext, SenderVerdict } from "../carrier";

/** SwiftPOD signs nothing and has no secret field: the URL we subscribe carries our own `secret`. */
export function verifySwiftpodSender(ctx: SenderContext, env: Env): Promise<SenderVerdict> {
  return checkSharedSecret(ctx.url.searchParams.get("secret"), readConfig(env).secrets.SWIFTPOD_WEBHOOK_SECRET);
}
