import type { EventDraft } from "../../events/normalized-event";
import { easypostOccurredAt, newestTrackingDetail } from "./easypost-occurred-at";
import { type EasypostPayload, type EasypostTrackerEvent, isEasypostTrackerEvent } from "./easypost-payload-schema";
import { easypostStatus } from "./easypost-status";

export function normalizeEasypost(p: EasypostPayload): EventDraft {
  return isEasypostTrackerEvent(p) ? normalizeTracker(p) : normalizeOther(p);
}

function normalizeTracker(p: EasypostTrackerEvent): EventDraft {
  const r = p.result;
  const newest = newestTrackingDetail(r.tracking_details)?.detail;
  const where = newest?.tracking_location;
  return {
    type: "shipment.status_changed",
    occurred_at: occurredAt(p),
    tracking_number: r.tracking_code || null,
    carrier_reference: r.id,
    status: easypostStatus(r.status),
    carrier_status: r.status,
    // EasyPost's "why" is `status_detail`, a code kept in data; it sends no free-text reason.
    reason: null,
    data: {
      event: p.description,
      mode: p.mode ?? null,
      status_detail: r.status_detail ?? null,
      previous_status: stringOrNull(p.previous_attributes?.status),
      // The carrier EasyPost tracked (FedEx, USPS, ...), as AfterShip's slug is kept.
      carrier: r.carrier ?? null,
      tracking_url: r.public_url ?? null,
      est_delivery_date: r.est_delivery_date ?? null,
      signed_by: r.signed_by ?? null,
      shipment_id: r.shipment_id ?? null,
      is_return: r.is_return ?? null,
      message: newest?.message ?? null,
      location: where
        ? {
            city: where.city ?? null,
            state: where.state ?? null,
            country: where.country ?? null,
            zip: where.zip ?? null,
          }
        : null,
    },
  };
}

/**
 * `batch.*`, `shipment.invoice.*`, refunds, reports...: stored and forwarded as `unknown` with no
 * status (so no shipment moves), the event name as the carrier's own value, and the rest left in
 * the raw body, since parcelhook knows none of these results' shapes.
 */
function normalizeOther(p: Exclude<EasypostPayload, EasypostTrackerEvent>): EventDraft {
  return {
    type: "unknown",
    occurred_at: occurredAt(p),
    tracking_number: stringOrNull(p.result.tracking_code) || null,
    carrier_reference: stringOrNull(p.result.id),
    status: null,
    carrier_status: p.description,
    reason: null,
    data: { event: p.description, mode: p.mode ?? null, object: stringOrNull(p.result.object) },
  };
}

// The schema refuses an event without a usable time, so this never falls back.
function occurredAt(p: EasypostPayload): string {
  return easypostOccurredAt(p) ?? "";
}

function stringOrNull(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}

/** EasyPost's Event `id` (`evt_...`): every retry of an event carries it, every new event a new one. */
export function easypostEventKey(p: EasypostPayload): string {
  return p.id;
}
