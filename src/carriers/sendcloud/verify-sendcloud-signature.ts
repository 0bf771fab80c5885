import { verifyHmacSha256Hex } from "../../security/verify-hmac-sha256-hex";
import type { SenderContext, SenderVerdict } from "../kit";

/**
 * `Sendcloud-Signature` is the lowercase hex HMAC-SHA256 of the raw body, keyed with the
 * integration's secret key (or its webhook signature key); any value of the configured list passes.
 */
export async function verifySendcloudSignature(
  ctx: SenderContext,
  rawBody: Uint8Array,
  settings: { SENDCLOUD_WEBHOOK_SECRET: string[] },
): Promise<SenderVerdict> {
  const secrets = settings.SENDCLOUD_WEBHOOK_SECRET;
  if (secrets.length === 0) return "not_configured";
  return (await verifyHmacSha256Hex(rawBody, ctx.headers.get("sendcloud-signature"), secrets)) ? "ok" : "unauthorized";
}
