import { decodeBase64, verifyHmacSha256 } from "../../security/verify-hmac-sha256";
import type { SenderContext, SenderVerdict } from "../kit";
import type { InpostGlobalSettings } from "./inpost-global-settings";
import type { RsaPublicKey } from "./public-key-setting";

const SIGNATURE = "x-inpost-signature";
// An HMAC-SHA256 is 32 bytes; an RSA signature is as long as its key's modulus (512 for InPost's).
const HMAC_BYTES = 32;
const encoder = new TextEncoder();

/**
 * Everything that needs no body: the carrier is configured (a key or an HMAC secret, and no
 * unreadable PEM block), and `x-inpost-signature` is base64 of a length some configured key can
 * produce. Anything else is refused before a byte of the body is read.
 */
export async function verifyInpostGlobalSender(ctx: SenderContext, s: InpostGlobalSettings): Promise<SenderVerdict> {
  const { keys, unreadable } = s.INPOST_GLOBAL_PUBLIC_KEY;
  if (unreadable || (keys.length === 0 && s.INPOST_GLOBAL_HMAC_SECRET.length === 0)) return "not_configured";
  const signature = decodeBase64(ctx.headers.get(SIGNATURE));
  if (signature === null) return "unauthorized";
  const fits =
    signature.length === HMAC_BYTES
      ? s.INPOST_GLOBAL_HMAC_SECRET.length > 0
      : keys.some((k) => k.bytes === signature.length);
  return fits ? "ok" : "unauthorized";
}

/**
 * `x-inpost-signature` over the raw body, or over `x-inpost-timestamp` + `.` + the raw body (each
 * subscription signs one way; which is not announced, so both are tried). Its length says which
 * kind it is, so an HMAC-signed request never costs an RSA verification, and an RSA signature is
 * tried only with keys of its length. WebCrypto verifies (constant time); every HMAC secret is tried.
 */
export async function verifyInpostGlobalSignature(
  ctx: SenderContext,
  rawBody: Uint8Array,
  s: InpostGlobalSettings,
): Promise<SenderVerdict> {
  const header = ctx.headers.get(SIGNATURE);
  const signature = decodeBase64(header);
  if (signature === null) return "unauthorized";
  const timestamp = ctx.headers.get("x-inpost-timestamp");
  const verify = (signed: Uint8Array) =>
    signature.length === HMAC_BYTES
      ? verifyHmacSha256(signed, header, s.INPOST_GLOBAL_HMAC_SECRET)
      : verifyRsa(signed, signature, s.INPOST_GLOBAL_PUBLIC_KEY.keys);
  // A deployment has one subscription, so the variant that verified last is tried first: one
  // verification per event either way (which variant is tried first tells nothing secret).
  for (const stamped of timestampedFirst ? [true, false] : [false, true]) {
    if (stamped && !timestamp) continue;
    if (await verify(stamped ? prefixed(`${timestamp}.`, rawBody) : rawBody)) {
      timestampedFirst = stamped;
      return "ok";
    }
  }
  return "unauthorized";
}

let timestampedFirst = false;

async function verifyRsa(signed: Uint8Array, signature: Uint8Array<ArrayBuffer>, keys: RsaPublicKey[]) {
  for (const key of keys) {
    if (key.bytes !== signature.length) continue;
    const cryptoKey = await rsaKey(key);
    // A body is never a SharedArrayBuffer; the cast only satisfies WebCrypto's typing.
    if (cryptoKey && (await crypto.subtle.verify(RSA, cryptoKey, signature, signed as Uint8Array<ArrayBuffer>))) {
      return true;
    }
  }
  return false;
}

function prefixed(prefix: string, body: Uint8Array): Uint8Array {
  const head = encoder.encode(prefix);
  const out = new Uint8Array(head.length + body.length);
  out.set(head);
  out.set(body, head.length);
  return out;
}

const RSA = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" };
// An import costs more than a verification; the keys change only with a deploy: once per isolate.
// A key WebCrypto refuses (the DER walker checked its shape, not its numbers) verifies nothing.
const imported = new Map<string, Promise<CryptoKey | null>>();

function rsaKey(key: RsaPublicKey): Promise<CryptoKey | null> {
  let cryptoKey = imported.get(key.id);
  if (!cryptoKey) {
    cryptoKey = crypto.subtle.importKey("spki", key.spki, RSA, false, ["verify"]).catch(() => null);
    imported.set(key.id, cryptoKey);
  }
  return cryptoKey;
}
