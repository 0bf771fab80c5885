import type { CanonicalStatus } from "../../events/normalized-event";

// carriers-next.md section 8 (FedEx AIV), which departs from karrio on CA, RS and DE.
const BY_CODE: Record<string, CanonicalStatus> = {
  OC: "pending",
  PU: "picked_up",
  IT: "in_transit",
  IX: "in_transit",
  AR: "in_transit",
  DP: "in_transit",
  AF: "in_transit",
  AA: "in_transit",
  PM: "in_transit",
  AE: "in_transit",
  AO: "in_transit",
  CC: "in_transit",
  CP: "in_transit",
  OD: "out_for_delivery",
  AD: "out_for_delivery",
  ED: "out_for_delivery",
  HL: "ready_for_pickup",
  DL: "delivered",
  DE: "delivery_failed",
  DY: "delivery_delayed",
  DD: "delivery_delayed",
  CD: "delivery_delayed",
  SE: "on_hold",
  RS: "return_to_sender",
  CA: "cancelled",
};

/** The canonical status of a FedEx scan event code; unlisted codes are `unknown`, none at all is null. */
export function fedexStatus(code: string | null): CanonicalStatus | null {
  if (code === null) return null;
  const upper = code.toUpperCase();
  return Object.hasOwn(BY_CODE, upper) ? (BY_CODE[upper] as CanonicalStatus) : "unknown";
}

/** Statuses whose scan description says why the parcel did not move on as planned. */
export const FEDEX_REASON_STATUSES: ReadonlySet<CanonicalStatus | null> = new Set<CanonicalStatus | null>([
  "delivery_failed",
  "delivery_delayed",
  "on_hold",
  "return_to_sender",
  "cancelled",
]);
