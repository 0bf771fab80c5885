import type { CanonicalStatus } from "../../events/normalized-event";

// carriers-more.md section 8, keyed on `parcel.status.id`: Sendcloud's messages for one id vary
// between its own examples and lists (2.9), its ids do not.
const BY_ID: Record<number, CanonicalStatus> = {
  1: "pending",
  13: "pending",
  999: "pending",
  1000: "pending",
  1001: "pending",
  22: "picked_up",
  3: "in_transit",
  5: "in_transit",
  6: "in_transit",
  7: "in_transit",
  91: "in_transit",
  92: "out_for_delivery",
  12: "ready_for_pickup",
  11: "delivered",
  93: "delivered",
  8: "delivery_failed",
  15: "delivery_failed",
  80: "delivery_failed",
  4: "delivery_delayed",
  1002: "on_hold",
  1999: "on_hold",
  2001: "on_hold",
  1998: "cancelled",
  2000: "cancelled",
};

/** The canonical status of a Sendcloud parcel status id; 1337 and any id not listed are `unknown`. */
export function sendcloudStatus(statusId: number): CanonicalStatus {
  return Object.hasOwn(BY_ID, statusId) ? (BY_ID[statusId] as CanonicalStatus) : "unknown";
}
