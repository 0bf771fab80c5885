import { verifyHmacSha256 } from "../../security/verify-hmac-sha256";
import type { ParsedSettings, SenderContext, SenderVerdict } from "../kit";
import type { postmenSettings } from "./postmen-settings";

const PREFIX = /^hmac-sha256=/i;

/**
 * When POSTMEN_HMAC_SECRET is set, `am-webhook-signature` must be the base64 HMAC-SHA256 of the raw
 * body (with or without a `hmac-sha256=` prefix). Runs only after the URL secret passed, so only a
 * sender holding that secret makes this Worker read a body and compute an HMAC. Both failures answer
 * the same 401; only their timing differs, which tells a sender whether a whole URL secret it
 * already holds is right (the compare is constant-time, so never a part of one).
 */
export async function verifyPostmenSignature(
  ctx: SenderContext,
  rawBody: Uint8Array,
  settings: ParsedSettings<typeof postmenSettings>,
): Promise<SenderVerdict> {
  const secrets = settings.POSTMEN_HMAC_SECRET;
  if (secrets.length === 0) return "ok";
  const signature = ctx.headers.get("am-webhook-signature")?.trim().replace(PREFIX, "");
  return (await verifyHmacSha256(rawBody, signature, secrets)) ? "ok" : "unauthorized";
}
