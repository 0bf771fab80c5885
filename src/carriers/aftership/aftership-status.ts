import type { CanonicalStatus } from "../../events/normalized-event";

// carriers-more.md section 8: the tag decides, except for `Exception`, whose subtag does.
const BY_TAG: Record<string, CanonicalStatus> = {
  Pending: "pending",
  InfoReceived: "pending",
  InTransit: "in_transit",
  OutForDelivery: "out_for_delivery",
  AvailableForPickup: "ready_for_pickup",
  Delivered: "delivered",
  AttemptFail: "delivery_failed",
  Expired: "unknown",
};

const BY_EXCEPTION: Record<string, CanonicalStatus> = {
  Exception_001: "delivery_failed",
  Exception_002: "delivery_failed",
  Exception_003: "delivery_failed",
  Exception_007: "delivery_failed",
  Exception_008: "delivery_failed",
  Exception_009: "delivery_failed",
  Exception_012: "delivery_failed",
  Exception_013: "delivery_failed",
  Exception_021: "delivery_failed",
  Exception_004: "delivery_delayed",
  Exception_005: "delivery_delayed",
  Exception_016: "delivery_delayed",
  Exception_017: "delivery_delayed",
  Exception_019: "delivery_delayed",
  Exception_006: "on_hold",
  Exception_018: "on_hold",
  Exception_010: "return_to_sender",
  Exception_011: "return_to_sender",
  Exception_020: "cancelled",
};

/**
 * The canonical status of `msg.tag` (then `msg.subtag` for `Exception`). AfterShip says both
 * enums grow, so anything unlisted is `unknown`, never an error. No tag at all is null: the
 * event states no status, and null never overwrites a shipment's current one.
 */
export function aftershipStatus(
  tag: string | null | undefined,
  subtag: string | null | undefined,
): CanonicalStatus | null {
  if (!tag) return null;
  if (tag === "Exception") {
    return subtag && Object.hasOwn(BY_EXCEPTION, subtag) ? (BY_EXCEPTION[subtag] as CanonicalStatus) : "unknown";
  }
  return Object.hasOwn(BY_TAG, tag) ? (BY_TAG[tag] as CanonicalStatus) : "unknown";
}
