import type { EventDraft } from "../../events/normalized-event";
import type { PeddlerPayload } from "./peddler-payload-schema";
import { peddlerStatus } from "./peddler-status";

export function normalizePeddler(p: PeddlerPayload): EventDraft {
  return {
    type: "shipment.status_changed",
    occurred_at: p.ts,
    tracking_number: p.carrierTrackingNumber ?? null,
    carrier_reference: p.id,
    status: peddlerStatus(p.code, p.status),
    carrier_status: p.status,
    reason: p.failedStatus ?? null,
    data: {
      code: p.code,
      location: p.location ?? null,
      tracking_url: p.trackingUrl ?? null,
      meta_data: p.metaData ?? null,
      headline: p.details?.lang?.en?.headline ?? null,
      description: p.details?.lang?.en?.description ?? null,
      courier_name: p.details?.courierName ?? null,
      details_reason: p.details?.reason ?? null,
    },
  };
}

/** Peddler sends no event id: the shipment, its status code and the carrier's time name one event. */
export function peddlerEventKey(p: PeddlerPayload): string {
  return `${p.id}:${p.code}:${p.ts}`;
}
