import { verifyHmacSha256 } from "../../security/verify-hmac-sha256";
import type { SenderContext, SenderVerdict } from "../kit";
import { aftershipSignature } from "./aftership-signature";

/**
 * `aftership-hmac-sha256` must be the base64 HMAC-SHA256 of the raw body bytes, keyed with the UTF-8
 * of any listed secret (rotation). WebCrypto's verify compares in constant time. A body that was
 * re-serialized, even to the same JSON value, fails.
 */
export async function verifyAftershipSignature(
  ctx: SenderContext,
  rawBody: Uint8Array,
  secrets: string[],
): Promise<SenderVerdict> {
  if (secrets.length === 0) return "not_configured";
  return (await verifyHmacSha256(rawBody, aftershipSignature(ctx.headers), secrets)) ? "ok" : "unauthorized";
}
