import type { EventType } from "../../events/normalized-event";

/**
 * `tracking_update` is a status change. `edd_revise` (a new estimated delivery date) and
 * `tracking_pending_time` (still Pending after the account's threshold) report no change of
 * status, and the contract has no type for either, so they are `unknown` (their name is in
 * `data.event`), as is any event AfterShip adds later.
 */
export function aftershipEventType(event: string): EventType {
  return event === "tracking_update" ? "shipment.status_changed" : "unknown";
}
