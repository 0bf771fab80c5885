import { isBase64Sha256 } from "../../security/verify-hmac-sha256";

/**
 * `fdx-signature` when it has the only shape FedEx sends: standard base64 of a 32-byte digest (44
 * characters ending in `=`). Hex (the same digest spelled otherwise), base64url or a prefix is
 * refused before any HMAC is computed.
 */
export function fedexSignature(headers: Headers): string | null {
  const value = headers.get("fdx-signature");
  return isBase64Sha256(value) ? value : null;
}
