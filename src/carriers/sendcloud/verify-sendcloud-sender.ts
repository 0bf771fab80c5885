import { decodeLowerHex } from "../../security/verify-hmac-sha256-hex";
import type { SenderContext, SenderVerdict } from "../kit";

/**
 * Before the body is read: 503 while no secret is set, and 401 for a `Sendcloud-Signature` that is
 * missing or is not 64 lowercase hex digits, since no body could make it right. The HMAC itself is
 * `verifySendcloudSignature`.
 */
export async function verifySendcloudSender(
  ctx: SenderContext,
  settings: { SENDCLOUD_WEBHOOK_SECRET: string[] },
): Promise<SenderVerdict> {
  if (settings.SENDCLOUD_WEBHOOK_SECRET.length === 0) return "not_configured";
  return decodeLowerHex(ctx.headers.get("sendcloud-signature")) === null ? "unauthorized" : "ok";
}
