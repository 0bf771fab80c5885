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
 * SHIPMENT_DETAILS_UPDATED, ...) moves none. A Postmen label names several parcels in
 * `data.tracking_numbers` (the event's `tracking_number` is only the first): each of them moves,
 * so every parcel of a multi-piece label shows `pending`.
 */
export function shipmentUpdates(event: NormalizedEvent): ShipmentUpdate[] {
  if (event.status === null) return [];
  const numbers = new Set<string>();
  if (event.tracking_number) numbers.add(event.tracking_number);
  const listed = event.data?.tracking_numbers;
  if (Array.isArray(listed)) {
    for (const n of listed) if (typeof n === "string" && n !== "") numbers.add(n);
  }
  return [...numbers].map((tracking_number) => ({
    event_id: event.id,
    carrier: event.carrier,
    tracking_number,
    status: event.status as string,
    carrier_status: event.carrier_status,
    occurred_at: event.occurred_at,
  }));
}
