import { decodeBase64 } from "../../security/verify-hmac-sha256";
import { toUtcIso } from "../../time/to-utc-iso";

/** How far `x-shipengine-timestamp` may be from the receiver's clock, either way (ShipEngine's docs). */
export const SHIPENGINE_TOLERANCE_MS = 5 * 60_000;

// RSA-2048, 3072 and 4096 signatures: any other length cannot be ShipEngine's.
const SIGNATURE_BYTES = new Set([256, 384, 512]);

export interface ShipengineCredentials {
  kid: string;
  signature: Uint8Array<ArrayBuffer>;
  /** The header exactly as sent: it is signed as text. */
  timestamp: string;
}

/**
 * The three `x-shipengine-*` headers, when all are present and of the right shape and the timestamp
 * is within 5 minutes of `nowMs`; else null (401, before the body is read). The timestamp is read
 * leniently (ISO 8601 with or without fractions, or Unix seconds), and signed byte for byte.
 */
export function shipengineCredentials(headers: Headers, nowMs: number): ShipengineCredentials | null {
  const kid = headers.get("x-shipengine-rsa-sha256-key-id")?.trim();
  const timestamp = headers.get("x-shipengine-timestamp");
  const signature = decodeBase64(headers.get("x-shipengine-rsa-sha256-signature"));
  if (!kid || kid.length > 200 || !timestamp || signature === null || !SIGNATURE_BYTES.has(signature.length))
    return null;
  const at = timestampMs(timestamp);
  if (at === null || Math.abs(nowMs - at) > SHIPENGINE_TOLERANCE_MS) return null;
  return { kid, signature, timestamp };
}

function timestampMs(value: string): number | null {
  if (/^\d{9,11}$/.test(value)) return Number(value) * 1000;
  const iso = toUtcIso(value);
  return iso === null ? null : Date.parse(iso);
}
