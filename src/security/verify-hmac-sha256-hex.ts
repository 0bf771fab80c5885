import { verifyHmacSha256Digest } from "./verify-hmac-sha256";

const LOWER_HEX_SHA256 = /^[0-9a-f]{64}$/;

/**
 * Whether `signature` (64 lowercase hex digits, as PHP's `hash_hmac` and Python's `hexdigest()`
 * write it) is the HMAC-SHA256 of `body` under any of `secrets` (each used as its UTF-8 bytes).
 * Any other spelling (uppercase, base64, a prefix, a short value) is refused before any HMAC is
 * computed: the sender's own encoding is part of what a forger must get right.
 */
export function verifyHmacSha256Hex(
  body: Uint8Array,
  signature: string | null | undefined,
  secrets: string[],
): Promise<boolean> {
  return verifyHmacSha256Digest(body, decodeLowerHex(signature), secrets);
}

/** A lowercase hex SHA-256 digest's 32 bytes, or null for anything else. */
export function decodeLowerHex(value: string | null | undefined): Uint8Array<ArrayBuffer> | null {
  if (!value || !LOWER_HEX_SHA256.test(value)) return null;
  const bytes = new Uint8Array(32);
  for (let i = 0; i < 32; i++) bytes[i] = Number.parseInt(value.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}
