const encoder = new TextEncoder();

/**
 * Whether `signature` (base64) is the HMAC-SHA256 of `body` under any of `secrets` (each used as
 * its UTF-8 bytes). WebCrypto's verify compares in constant time, and every secret is tried, so
 * the time taken does not tell which secret, if any, matched.
 */
export function verifyHmacSha256(
  body: Uint8Array,
  signature: string | null | undefined,
  secrets: string[],
): Promise<boolean> {
  return verifyHmacSha256Digest(body, decodeBase64(signature), secrets);
}

/**
 * Whether `expected` (the digest's bytes, however the sender encoded them) is the HMAC-SHA256 of
 * `body` under any of `secrets`: the shared core of the base64 and hex variants, so both use one
 * key cache.
 */
export async function verifyHmacSha256Digest(
  body: Uint8Array,
  expected: Uint8Array<ArrayBuffer> | null,
  secrets: string[],
): Promise<boolean> {
  if (expected === null) return false;
  let matched = false;
  for (const secret of secrets) {
    const key = await hmacKey(secret);
    // A request body is never a SharedArrayBuffer; the cast only satisfies WebCrypto's typing.
    if (await crypto.subtle.verify("HMAC", key, expected, body as Uint8Array<ArrayBuffer>)) matched = true;
  }
  return matched;
}

// Importing a key costs as much as the HMAC itself; the secrets change only with a deploy.
const keys = new Map<string, Promise<CryptoKey>>();

function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["verify"]);
    keys.set(secret, key);
  }
  return key;
}

/** Standard base64 (padding optional), or null for anything else, including an empty value. */
export function decodeBase64(value: string | null | undefined): Uint8Array<ArrayBuffer> | null {
  const text = value?.trim();
  if (!text || !/^[A-Za-z0-9+/]+={0,2}$/.test(text)) return null;
  try {
    const binary = atob(text);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  } catch {
    return null;
  }
}

const BASE64_SHA256 = /^[A-Za-z0-9+/]{43}=$/;

/** Whether `value` is standard base64 of a 32-byte digest, as the senders that sign so write it (44 characters). */
export function isBase64Sha256(value: string | null | undefined): value is string {
  return typeof value === "string" && BASE64_SHA256.test(value);
}
