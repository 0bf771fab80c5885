import type { SenderContext, SenderVerdict } from "../kit";
import { aftershipSignature } from "./aftership-signature";

/**
 * Before the body is read: unset secret = 503 (AfterShip retries), and a signature header that is
 * missing or not 44-character base64 = 401, so such a request costs no body read and no HMAC.
 */
export async function verifyAftershipSender(ctx: SenderContext, secrets: string[]): Promise<SenderVerdict> {
  if (secrets.length === 0) return "not_configured";
  return aftershipSignature(ctx.headers) === null ? "unauthorized" : "ok";
}
