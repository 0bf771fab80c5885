import type { CanonicalStatus } from "../../events/normalized-event";

// carriers-next.md section 8 (17TRACK): sub-statuses and statuses by name.
const BY_NAME: Record<string, CanonicalStatus> = {
  InfoReceived: "pending",
  InTransit_PickedUp: "picked_up",
  InTransit: "in_transit",
  InTransit_Other: "in_transit",
  InTransit_Departure: "in_transit",
  InTransit_Arrival: "in_transit",
  InTransit_CustomsProcessing: "in_transit",
  InTransit_CustomsReleased: "in_transit",
  InTransit_TransportArrived: "in_transit",
  OutForDelivery: "out_for_delivery",
  OutForDelivery_Other: "out_for_delivery",
  AvailableForPickup: "ready_for_pickup",
  AvailableForPickup_Other: "ready_for_pickup",
  Delivered: "delivered",
  Delivered_Other: "delivered",
  DeliveryFailure: "delivery_failed",
  Exception_NoBody: "delivery_failed",
  Exception_Rejected: "delivery_failed",
  Exception_Damage: "delivery_failed",
  Exception_Lost: "delivery_failed",
  Exception_Destroyed: "delivery_failed",
  Exception_Delayed: "delivery_delayed",
  InTransit_CustomsRequiringInformation: "on_hold",
  Exception_Security: "on_hold",
  Exception_Other: "on_hold",
  Exception: "on_hold",
  Exception_Returning: "return_to_sender",
  Exception_Returned: "return_to_sender",
  Exception_Cancel: "cancelled",
  NotFound: "unknown",
  Expired: "unknown",
  Expired_Other: "unknown",
};

function byName(name: string | null | undefined): CanonicalStatus | null {
  if (!name) return null;
  if (Object.hasOwn(BY_NAME, name)) return BY_NAME[name] as CanonicalStatus;
  // Every DeliveryFailure_* is a failed attempt, whatever 17TRACK adds (_Other, _NoBody, _Security, ...).
  return name.startsWith("DeliveryFailure_") ? "delivery_failed" : null;
}

/**
 * The canonical status of `latest_status`: its `sub_status` when listed, else its `status`; any
 * other value is `unknown`, and neither at all is null (the event states no status).
 */
export function track17Status(
  status: string | null | undefined,
  subStatus: string | null | undefined,
): CanonicalStatus | null {
  if (!status && !subStatus) return null;
  return byName(subStatus) ?? byName(status) ?? "unknown";
}
