import { verifyHmacSha256 } from "../../security/verify-hmac-sha256";
import type { SenderContext, SenderVerdict } from "../kit";
import type { FedexSettings } from "./fedex-settings";
import { fedexSignature } from "./fedex-signature";

/**
 * Before the body is read: no token = 503 (FedEx retries), and an `fdx-signature` that is missing or
 * not 44-character base64 = 401, so such a request costs no body read and no HMAC.
 */
export async function verifyFedexSender(ctx: SenderContext, settings: FedexSettings): Promise<SenderVerdict> {
  if (settings.FEDEX_SECURITY_TOKEN.length === 0) return "not_configured";
  return fedexSignature(ctx.headers) === null ? "unauthorized" : "ok";
}

/**
 * `fdx-signature` must be the base64 HMAC-SHA256 of the raw body bytes, keyed with the UTF-8 of any
 * listed security token (FedEx's Java sample: `Mac.getInstance("HmacSHA256")` over the payload).
 * The prose's "SHA256(security token + payload)" is not what FedEx computes, and is refused.
 */
export async function verifyFedexBody(
  ctx: SenderContext,
  rawBody: Uint8Array,
  settings: FedexSettings,
): Promise<SenderVerdict> {
  if (settings.FEDEX_SECURITY_TOKEN.length === 0) return "not_configured";
  const ok = await verifyHmacSha256(rawBody, fedexSignature(ctx.headers), settings.FEDEX_SECURITY_TOKEN);
  return ok ? "ok" : "unauthorized";
}
