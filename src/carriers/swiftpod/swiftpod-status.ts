import type { CanonicalStatus } from "../../events/normalized-event";

/** `event.status` of `order_notify` (`draft` exists on the API side only and is never sent). */
export const SWIFTPOD_ORDER_STATUSES: Record<string, CanonicalStatus> = {
  new_order: "pending",
  in_production: "pending",
  on_hold: "on_hold",
  cancelled: "cancelled",
  in_production_cancelled: "cancelled",
  rejected: "cancelled",
  shipped: "picked_up",
};

/** `event.tracking.tracking_status` of `shipment_notify`: only these two are documented. */
export const SWIFTPOD_TRACKING_STATUSES: Record<string, CanonicalStatus> = {
  in_transit: "in_transit",
  delivered: "delivered",
};

export function swiftpodOrderStatus(status: string): CanonicalStatus {
  return Object.hasOwn(SWIFTPOD_ORDER_STATUSES, status)
    ? (SWIFTPOD_ORDER_STATUSES[status] as CanonicalStatus)
    : "unknown";
}

/**
 * No tracking status at all is SwiftPOD's "tracking number assigned" notice, sent as the order ships
 * (the same moment `order_notify` says `shipped`), so it is `picked_up` like that one. A status that
 * is present but undocumented is `unknown`, with the carrier's value kept beside it.
 */
export function swiftpodTrackingStatus(status: string | null | undefined): CanonicalStatus {
  if (status == null || status === "") return "picked_up";
  return Object.hasOwn(SWIFTPOD_TRACKING_STATUSES, status)
    ? (SWIFTPOD_TRACKING_STATUSES[status] as CanonicalStatus)
    : "unknown";
}
