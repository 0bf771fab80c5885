import type { CanonicalStatus } from "../../events/normalized-event";

// carriers-more.md section 8. `error` (EasyPost could not fetch tracking) and `unknown` say
// nothing about the parcel, so they fall through to `unknown` with every unlisted value.
const BY_STATUS: Record<string, CanonicalStatus> = {
  pre_transit: "pending",
  in_transit: "in_transit",
  out_for_delivery: "out_for_delivery",
  available_for_pickup: "ready_for_pickup",
  delivered: "delivered",
  failure: "delivery_failed",
  return_to_sender: "return_to_sender",
  cancelled: "cancelled",
};

/** The canonical status of a Tracker's `status`; anything unlisted is `unknown`, never refused. */
export function easypostStatus(status: string): CanonicalStatus {
  return Object.hasOwn(BY_STATUS, status) ? (BY_STATUS[status] as CanonicalStatus) : "unknown";
}
