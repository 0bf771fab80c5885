import type { CanonicalStatus } from "../../events/normalized-event";

// carriers-next.md section 8 (Shippo): TRANSIT's substatus decides; the other statuses alone.
const TRANSIT_BY_SUBSTATUS: Record<string, CanonicalStatus> = {
  package_accepted: "picked_up",
  package_arrived: "in_transit",
  package_departed: "in_transit",
  package_forwarded: "in_transit",
  delivery_scheduled: "in_transit",
  information_received: "in_transit",
  other: "in_transit",
  out_for_delivery: "out_for_delivery",
  pickup_available: "ready_for_pickup",
  delivery_attempted: "delivery_failed",
  notice_left: "delivery_failed",
  location_inaccessible: "delivery_failed",
  address_issue: "delivery_failed",
  package_undeliverable: "delivery_failed",
  package_lost: "delivery_failed",
  package_damaged: "delivery_failed",
  package_disposed: "delivery_failed",
  delayed: "delivery_delayed",
  delivery_rescheduled: "delivery_delayed",
  reschedule_delivery: "delivery_delayed",
  package_held: "on_hold",
  contact_carrier: "on_hold",
  return_to_sender: "return_to_sender",
};

const BY_STATUS: Record<string, CanonicalStatus> = {
  PRE_TRANSIT: "pending",
  TRANSIT: "in_transit",
  DELIVERED: "delivered",
  RETURNED: "return_to_sender",
  FAILURE: "delivery_failed",
  UNKNOWN: "unknown",
};

/** The canonical status of a Shippo `tracking_status`; unlisted values are `unknown`. */
export function shippoStatus(status: string, substatus: string | null | undefined): CanonicalStatus {
  if ((status === "TRANSIT" || status === "FAILURE") && substatus === "return_to_sender") return "return_to_sender";
  if (status === "TRANSIT" && substatus) {
    return Object.hasOwn(TRANSIT_BY_SUBSTATUS, substatus)
      ? (TRANSIT_BY_SUBSTATUS[substatus] as CanonicalStatus)
      : "in_transit";
  }
  return Object.hasOwn(BY_STATUS, status) ? (BY_STATUS[status] as CanonicalStatus) : "unknown";
}
