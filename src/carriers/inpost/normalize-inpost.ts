import type { EventDraft } from "../../events/normalized-event";
import type { InpostPayload } from "./inpost-payload-schema";
import { inpostStatus } from "./inpost-status";

export function normalizeInpost(p: InpostPayload): EventDraft {
  const shipment = p.payload;
  switch (p.event) {
    case "shipment_confirmed":
      // No status field: the label is ready, so `pending`; the event name is the carrier's own value.
      return draft(p, "shipment.status_changed", "pending", p.event, {
        event: p.event,
        organization_id: p.organization_id ?? null,
      });
    case "shipment_status_changed": {
      const status = shipment.status as string;
      const data = {
        event: p.event,
        organization_id: p.organization_id ?? null,
        return_tracking_number: shipment.return_tracking_number ?? null,
      };
      return draft(p, "shipment.status_changed", inpostStatus(status), status, data);
    }
    case "offers_prepared":
      // InPost's own status at this point is `offers_prepared`, which carriers.md maps to pending.
      return draft(p, "shipment.offers_prepared", inpostStatus("offers_prepared"), "offers_prepared", {
        event: p.event,
        organization_id: p.organization_id ?? null,
        offers: shipment.offers ?? [],
      });
    default:
      // An event this receiver does not know yet: kept whole, and no shipment status is claimed from it.
      return draft(p, "unknown", null, shipment.status ?? p.event, {
        event: p.event,
        organization_id: p.organization_id ?? null,
        payload: shipment,
      });
  }
}

// One object literal per event, no spreads: spreading a shared object cost more than all the rest.
function draft(
  p: InpostPayload,
  type: EventDraft["type"],
  status: EventDraft["status"],
  carrierStatus: string,
  data: Record<string, unknown>,
): EventDraft {
  return {
    type,
    occurred_at: p.event_ts,
    tracking_number: p.payload.tracking_number ?? null,
    carrier_reference: String(p.payload.shipment_id),
    status,
    carrier_status: carrierStatus,
    reason: null,
    data,
  };
}

/**
 * InPost sends no event id. A retry repeats the same event, shipment, status and `event_ts`, while two
 * real changes of one shipment differ in status or time; the time is compared as an instant, so
 * `+0100` and `+01:00` spellings of one moment are one event.
 */
export function inpostEventKey(p: InpostPayload): string {
  return `${p.event}:${p.payload.shipment_id}:${p.payload.status ?? ""}:${p.event_ts}`;
}
