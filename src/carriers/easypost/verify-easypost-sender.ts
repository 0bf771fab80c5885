import type { SenderContext, SenderVerdict } from "../kit";
import type { EasypostSettings } from "./easypost-settings";
import { verifyEasypostSignature } from "./easypost-signature";

export const EASYPOST_SIGNATURE_HEADER = "x-hmac-signature";

// The only form EasyPost sends; anything else cannot match, so it is refused before the body is read.
const SHAPE = /^hmac-sha256-hex=[0-9a-f]{64}$/;

/** No secret: 503, so EasyPost retries; a missing or malformed signature: 401 without reading the body. */
export async function verifyEasypostSender(ctx: SenderContext, settings: EasypostSettings): Promise<SenderVerdict> {
  if (settings.EASYPOST_WEBHOOK_SECRET.length === 0) return "not_configured";
  return SHAPE.test(ctx.headers.get(EASYPOST_SIGNATURE_HEADER) ?? "") ? "ok" : "unauthorized";
}

/** `X-Hmac-Signature` over the raw body exactly as received, with any configured secret. */
export async function verifyEasypostBody(
  ctx: SenderContext,
  rawBody: Uint8Array,
  settings: EasypostSettings,
): Promise<SenderVerdict> {
  if (settings.EASYPOST_WEBHOOK_SECRET.length === 0) return "not_configured";
  const header = ctx.headers.get(EASYPOST_SIGNATURE_HEADER);
  return (await verifyEasypostSignature(header, rawBody, settings.EASYPOST_WEBHOOK_SECRET)) ? "ok" : "unauthorized";
}
