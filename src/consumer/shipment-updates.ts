import { findCarrier } from "../carriers";
import type { NormalizedEvent } from "../events/normalized-event";

/** One candidate move of a shipment's state; the upsert keeps it only if it is the newest. */
export interface ShipmentUpdate {
  event_id: string;
  carrier: string;
  tracking_number: string;
  status: string;
  carrier_status: string | null;
  occurred_at: string;
}

/**
 * The shipments an event may move. A status-less event (stock, rates, Peddler's
 * SHIPMENT_DETAILS_UPDATED, ...) moves none. Otherwise its own tracking number moves, unless its
 * carrier says which (`shipmentTrackingNumbers`: a Postmen label names several parcels, and each
 * of them moves).
 */
export function shipmentUpdates(event: NormalizedEvent): ShipmentUpdate[] {
  if (event.status === null) return [];
  const own = findCarrier(event.carrier)?.shipmentTrackingNumbers;
  const numbers = new Set<string>(own ? own(event) : event.tracking_number ? [event.tracking_number] : []);
  numbers.delete("");
  return [...numbers].map((tracking_number) => ({
    event_id: event.id,
    carrier: event.carrier,
    tracking_number,
    status: event.status as string,
    carrier_status: event.carrier_status,
    occurred_at: event.occurred_at,
  }));
}
