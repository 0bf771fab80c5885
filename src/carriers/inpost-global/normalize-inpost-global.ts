import type { EventDraft } from "../../events/normalized-event";
import type { InpostGlobalPayload } from "./inpost-global-payload-schema";
import { inpostGlobalStatus } from "./inpost-global-status";

/** Every InPost Global webhook is a `Shipment.Tracking` event: a tracking update. */
export function normalizeInpostGlobal(p: InpostGlobalPayload): EventDraft {
  return {
    type: "shipment.status_changed",
    occurred_at: p.timestamp,
    tracking_number: p.trackingNumber,
    carrier_reference: p.customerReference ?? null,
    status: inpostGlobalStatus(p.eventCode),
    carrier_status: p.eventCode,
    // InPost sends only the code; what went wrong is the code's meaning (docs/carriers/inpost-global.md).
    reason: null,
    data: {
      location: p.location ?? null,
      recipient_name: p.delivery?.recipientName ?? null,
      delivery_notes: p.delivery?.deliveryNotes ?? null,
      shipment_type: p.shipment?.type ?? null,
      return_tracking_number: p.returnToSender?.trackingNumber ?? null,
      new_destination: p.newDestination ?? null,
    },
  };
}

/** `eventId` (`<uuid>#<eventCode>`, equal to the `x-inpost-event-id` header) is the same on every retry. */
export const inpostGlobalEventKey = (p: InpostGlobalPayload): string => p.eventId;
