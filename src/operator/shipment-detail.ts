import { ApiError } from "../errors/api-error";
import type { CanonicalStatus, CarrierName } from "../events/normalized-event";
import { getShipment } from "./db/get-shipment";
import { presentEvent } from "./present";
import type { Shipment } from "./response-schemas";

/** A shipment's current status and its timeline in carrier time order; 404 when nothing is known. */
export async function shipmentDetail(db: D1Database, trackingNumber: string, carrier?: CarrierName): Promise<Shipment> {
  const { shipment, timeline } = await getShipment(db, trackingNumber, carrier);
  const newest = timeline[timeline.length - 1];
  if (!shipment && !newest) throw new ApiError("not_found", undefined, "No shipment with this tracking number.");
  return {
    tracking_number: trackingNumber,
    carrier: (shipment?.carrier ?? newest?.carrier) as CarrierName,
    // From `shipments` (kept by the queue consumer): null until the consumer has seen a status.
    status: (shipment?.status ?? null) as CanonicalStatus | null,
    carrier_status: shipment?.carrier_status ?? null,
    last_event_at: shipment?.last_event_at ?? null,
    timeline: timeline.map(presentEvent),
  };
}
