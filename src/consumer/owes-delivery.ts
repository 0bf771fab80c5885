import type { DeliveryState } from "../events/normalized-event";

/** `queued` and `retrying` still owe a delivery; any other state means the work is done. */
export function owesDelivery(state: DeliveryState): boolean {
  return state === "queued" || state === "retrying";
}
