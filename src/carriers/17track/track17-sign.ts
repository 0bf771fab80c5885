import { decodeLowerHex } from "../../security/verify-hmac-sha256-hex";

const encoder = new TextEncoder();

/** The `sign` header's 32 bytes when it is 64 lowercase hex digits (Python's `hexdigest()`), else null. */
export function track17Sign(headers: Headers): Uint8Array<ArrayBuffer> | null {
  return decodeLowerHex(headers.get("sign"));
}

/**
 * Whether `sign` is SHA-256 (a plain hash, not an HMAC) of the raw body bytes + `/` + the key, for any
 * listed key (carriers-next.md 3.2; the rule three third-party receivers agree on, unconfirmed by
 * 17TRACK: this is the one function to change if 17TRACK's own page says otherwise). Every key is
 * hashed and compared over all 32 bytes, so the time taken tells neither which key nor how much matched.
 */
export async function verifyTrack17Sign(body: Uint8Array, sign: Uint8Array | null, keys: string[]): Promise<boolean> {
  if (sign === null) return false;
  let matched = 0;
  for (const key of keys) {
    const suffix = keySuffix(key);
    const message = new Uint8Array(body.length + suffix.length);
    message.set(body);
    message.set(suffix, body.length);
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", message));
    let diff = 0;
    for (let i = 0; i < 32; i++) diff |= (digest[i] as number) ^ (sign[i] as number);
    matched |= ((diff - 1) >>> 31) & 1;
  }
  return matched === 1;
}

// The keys change only with a deploy: each one's `/` + UTF-8 bytes are encoded once per isolate.
const suffixes = new Map<string, Uint8Array>();

function keySuffix(key: string): Uint8Array {
  let suffix = suffixes.get(key);
  if (!suffix) {
    suffix = encoder.encode(`/${key}`);
    suffixes.set(key, suffix);
  }
  return suffix;
}
