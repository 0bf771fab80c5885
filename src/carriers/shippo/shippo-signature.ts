import { decodeLowerHex } from "../../security/verify-hmac-sha256-hex";

/** How far `t` may be from the receiver's clock, either way (Stripe's default, which Shippo's shape follows). */
export const SHIPPO_TOLERANCE_SECONDS = 300;

export interface ShippoSignature {
  /** `t` exactly as sent: it is signed as text. */
  t: string;
  seconds: number;
  /** Every `v1` digest (more than one while Shippo rotates). */
  v1: Uint8Array<ArrayBuffer>[];
}

// The last header text parsed and its parse (see shippoSignature).
let last: { value: string | null; parsed: ShippoSignature | null } = { value: null, parsed: null };

/**
 * `Shippo-Auth-Signature: t=<unix seconds>,v1=<64 lowercase hex>[,v1=…]` (carriers-next.md 2.2,
 * third-party, Stripe's shape), or null when it is missing or malformed: each part split on its
 * first `=`, unknown parts ignored, at least one `v1` and exactly one `t` of digits.
 */
export function shippoSignature(headers: Headers): ShippoSignature | null {
  const value = headers.get("shippo-auth-signature");
  // Both checks of a request (before and after the body is read) ask for the same header: the
  // second gets the first's parse. Keyed by the exact text, so another request's header is parsed anew.
  if (value !== last.value) last = { value, parsed: parseShippoSignature(value) };
  return last.parsed;
}

function parseShippoSignature(value: string | null): ShippoSignature | null {
  if (!value || value.length > 1024) return null;
  let t: string | null = null;
  const v1: Uint8Array<ArrayBuffer>[] = [];
  for (const part of value.split(",")) {
    const eq = part.indexOf("=");
    if (eq < 0) return null;
    const name = part.slice(0, eq).trim();
    const v = part.slice(eq + 1).trim();
    if (name === "t") {
      if (t !== null || !/^\d{1,12}$/.test(v)) return null;
      t = v;
    } else if (name === "v1") {
      const digest = decodeLowerHex(v);
      if (digest === null) return null;
      v1.push(digest);
    }
  }
  if (t === null || v1.length === 0) return null;
  return { t, seconds: Number(t), v1 };
}

/** Whether `t` is within the tolerance of `nowMs`, in the past or (clock skew) the future. */
export function isFresh(sig: ShippoSignature, nowMs: number): boolean {
  return Math.abs(nowMs / 1000 - sig.seconds) <= SHIPPO_TOLERANCE_SECONDS;
}
