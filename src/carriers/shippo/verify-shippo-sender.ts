import { matchesAnySecret } from "../../security/matches-any-secret";
import { verifyHmacSha256Digest } from "../../security/verify-hmac-sha256";
import type { SenderContext, SenderVerdict } from "../kit";
import type { ShippoSettings } from "./shippo-settings";
import { isFresh, shippoSignature } from "./shippo-signature";

/**
 * Before the body is read: neither the URL token nor the HMAC secret set = 503; each one that is set
 * must pass (both, when both are). The token is compared in constant time; the signature header must
 * parse and its `t` be within 5 minutes, so a stale or malformed one costs no body read and no HMAC.
 */
export async function verifyShippoSender(ctx: SenderContext, s: ShippoSettings): Promise<SenderVerdict> {
  const tokenSet = s.SHIPPO_WEBHOOK_TOKEN.length > 0;
  const hmacSet = s.SHIPPO_HMAC_SECRET.length > 0;
  if (!tokenSet && !hmacSet) return "not_configured";
  if (tokenSet && !matchesAnySecret(ctx.url.searchParams.get("token"), s.SHIPPO_WEBHOOK_TOKEN)) return "unauthorized";
  if (hmacSet) {
    const sig = shippoSignature(ctx.headers);
    if (sig === null || !isFresh(sig, Date.now())) return "unauthorized";
  }
  return "ok";
}

/**
 * With SHIPPO_HMAC_SECRET set: some `v1` must be the HMAC-SHA256 of `t + "." + raw body` under some
 * listed secret. Every pair is tried, each with WebCrypto's constant-time verify.
 */
export async function verifyShippoBody(
  ctx: SenderContext,
  rawBody: Uint8Array,
  s: ShippoSettings,
): Promise<SenderVerdict> {
  if (s.SHIPPO_HMAC_SECRET.length === 0) return s.SHIPPO_WEBHOOK_TOKEN.length > 0 ? "ok" : "not_configured";
  const sig = shippoSignature(ctx.headers);
  if (sig === null || !isFresh(sig, Date.now())) return "unauthorized";
  // `t` is 1-12 ASCII digits (shippoSignature), so its UTF-8 is its char codes: written in place,
  // with no encoder call and no second buffer (each costs about as much as a JSON.parse here).
  const signed = new Uint8Array(sig.t.length + 1 + rawBody.length);
  for (let i = 0; i < sig.t.length; i++) signed[i] = sig.t.charCodeAt(i);
  signed[sig.t.length] = 0x2e;
  signed.set(rawBody, sig.t.length + 1);
  let matched = false;
  for (const digest of sig.v1) {
    if (await verifyHmacSha256Digest(signed, digest, s.SHIPPO_HMAC_SECRET)) matched = true;
  }
  return matched ? "ok" : "unauthorized";
}
