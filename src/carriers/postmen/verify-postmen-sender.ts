import { readConfig } from "../../config";
import { checkSharedSecret } from "../../security/check-shared-secret";
import { verifyHmacSha256 } from "../../security/verify-hmac-sha256";
import type { SenderContext, SenderVerdict } from "../carrier";

const PREFIX = /^hmac-sha256=/i;

/**
 * The URL's `secret` (seed 002's documented check) is required: without POSTMEN_WEBHOOK_SECRET the
 * carrier is not configured, even if POSTMEN_HMAC_SECRET is set. When POSTMEN_HMAC_SECRET is set,
 * `am-webhook-signature` must also be the base64 HMAC-SHA256 of the raw body. Both checks always
 * run, so neither the answer nor its timing tells which one failed.
 */
export async function verifyPostmenSender(ctx: SenderContext, env: Env): Promise<SenderVerdict> {
  const { secrets } = readConfig(env);
  const urlVerdict = await checkSharedSecret(ctx.url.searchParams.get("secret"), secrets.POSTMEN_WEBHOOK_SECRET);
  const hmacSecrets = secrets.POSTMEN_HMAC_SECRET;
  const signature = ctx.headers.get("am-webhook-signature")?.trim().replace(PREFIX, "");
  const signed = hmacSecrets.length === 0 || (await verifyHmacSha256(ctx.rawBody, signature, hmacSecrets));
  if (urlVerdict !== "ok") return urlVerdict;
  return signed ? "ok" : "unauthorized";
}
