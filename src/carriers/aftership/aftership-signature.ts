const SHAPE = /^[A-Za-z0-9+/]{43}=$/;

/**
 * `aftership-hmac-sha256` when it has the only shape AfterShip sends: standard base64 of a 32-byte
 * digest (44 characters ending in `=`). Hex, base64url, a prefix or a list is refused before any
 * HMAC is computed. Headers are looked up case-insensitively (older docs print
 * `Aftership-Hmac-Sha256`).
 */
export function aftershipSignature(headers: Headers): string | null {
  const value = headers.get("aftership-hmac-sha256");
  return value !== null && SHAPE.test(value) ? value : null;
}
