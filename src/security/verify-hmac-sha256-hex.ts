import { verifyHmacSha256Digest } from "./verify-hmac-sha256";

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

// Each character's nibble, -1 for anything but 0-9 and a-f: one table lookup per character instead of
// a regex plus 32 slices and parseInts (the check runs on every event; this was a third of it).
const NIBBLE = new Int8Array(128).fill(-1);
for (let c = 0; c < 10; c++) NIBBLE[48 + c] = c;
for (let c = 0; c < 6; c++) NIBBLE[97 + c] = 10 + c;

/** A lowercase hex SHA-256 digest's 32 bytes, or null for anything else. */
export function decodeLowerHex(value: string | null | undefined): Uint8Array<ArrayBuffer> | null {
  if (value?.length !== 64) return null;
  const bytes = new Uint8Array(32);
  for (let i = 0; i < 32; i++) {
    // A code point above 127 reads as undefined, which fails the check below like -1 does.
    const hi = NIBBLE[value.charCodeAt(i * 2)] ?? -1;
    const lo = NIBBLE[value.charCodeAt(i * 2 + 1)] ?? -1;
    if ((hi | lo) < 0) return null;
    bytes[i] = (hi << 4) | lo;
  }
  return bytes;
}
