import type { EventDraft } from "../../events/normalized-event";
import type { InpostPayload } from "./inpost-payload-schema";
import { inpostStatus } from "./inpost-status";

export function normalizeInpost(p: InpostPayload): EventDraft {
  const shipment = p.payload;
  const common = {
    occurred_at: p.event_ts,
    tracking_number: shipment.tracking_number ?? null,
    carrier_reference: String(shipment.shipment_id),
    reason: null,
  };
  const data = { event: p.event, organization_id: p.organization_id ?? null };
  switch (p.event) {
    case "shipment_confirmed":
      // No status field: the label is ready, so `pending`; the event name is the carrier's own value.
      return { ...common, type: "shipment.status_changed", status: "pending", carrier_status: p.event, data };
    case "shipment_status_changed": {
      const status = shipment.status as string;
      return {
        ...common,
        type: "shipment.status_changed",
        status: inpostStatus(status),
        carrier_status: status,
        data: { ...data, return_tracking_number: shipment.return_tracking_number ?? null },
      };
    }
    case "offers_prepared":
      // InPost's own status at this point is `offers_prepared`, which carriers.md maps to pending.
      return {
        ...common,
        type: "shipment.offers_prepared",
        status: inpostStatus("offers_prepared"),
        carrier_status: "offers_prepared",
        data: { ...data, offers: shipment.offers ?? [] },
      };
    default:
      // An event this receiver does not know yet: kept whole, and no shipment status is claimed from it.
      return {
        ...common,
        type: "unknown",
        status: null,
        carrier_status: shipment.status ?? p.event,
        data: { ...data, payload: shipment },
      };
  }
}

/**
 * InPost sends no event id. A retry repeats the same event, shipment, status and `event_ts`, while two
 * real changes of one shipment differ in status or time; the time is compared as an instant, so
 * `+0100` and `+01:00` spellings of one moment are one event.
 */
export function inpostEventKey(p: InpostPayload): string {
  return `${p.event}:${p.payload.shipment_id}:${p.payload.status ?? ""}:${p.event_ts}`;
}
