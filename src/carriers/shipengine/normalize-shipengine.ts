import type { CanonicalStatus, EventDraft } from "../../events/normalized-event";
import { toUtcIso } from "../../time/to-utc-iso";
import {
  type ShipenginePayload,
  type ShipengineTrackData,
  type ShipengineTrackEvent,
  TRACK_TYPES,
} from "./shipengine-payload-schema";
import { shipengineStatus } from "./shipengine-status";

const PROBLEMS: ReadonlySet<CanonicalStatus> = new Set<CanonicalStatus>([
  "delivery_failed",
  "delivery_delayed",
  "on_hold",
  "return_to_sender",
  "cancelled",
]);

export function normalizeShipengine(p: ShipenginePayload): EventDraft {
  if (!isTrack(p)) {
    return {
      type: "unknown",
      occurred_at: null,
      tracking_number: null,
      carrier_reference: labelId(p.resource_url),
      status: null,
      carrier_status: p.resource_type,
      reason: null,
      data: { resource_type: p.resource_type, resource_url: str(p.resource_url) },
    };
  }
  const d = p.data;
  const status = shipengineStatus(d.status_code, d.status_detail_code);
  const newest = newestEvent(d.events);
  return {
    type: "shipment.status_changed",
    // The newest event's UTC time; else null, the time of receipt (within 5 minutes of the signed
    // timestamp). carrier_occurred_at, ship_date and the delivery dates come without an offset: kept, never guessed.
    occurred_at: newest?.at ?? null,
    tracking_number: d.tracking_number,
    carrier_reference: labelId(p.resource_url),
    status,
    carrier_status: str(d.status_detail_code) ?? d.status_code,
    reason: PROBLEMS.has(status)
      ? (str(d.status_detail_description) ?? str(d.exception_description))
      : str(d.exception_description),
    data: {
      resource_type: p.resource_type,
      carrier_code: str(d.carrier_code),
      carrier_id: d.carrier_id ?? null,
      status_code: d.status_code,
      status_description: str(d.status_description),
      status_detail_code: str(d.status_detail_code),
      carrier_status_code: str(d.carrier_status_code),
      carrier_status_description: str(d.carrier_status_description),
      tracking_url: str(d.tracking_url),
      ship_date: str(d.ship_date),
      estimated_delivery_date: str(d.estimated_delivery_date),
      actual_delivery_date: str(d.actual_delivery_date),
      event: newest ? eventData(newest.event) : null,
    },
  };
}

/**
 * carriers-next.md 1.4: `carrier_code|tracking_number|status_code|status_detail_code|newest occurred_at`
 * (no event id exists, and the headers change per send). Other resources: type and URL.
 */
export function shipengineEventKey(p: ShipenginePayload): string {
  if (!isTrack(p)) return `${p.resource_type}|${p.resource_url ?? ""}`;
  const d = p.data;
  const newest = newestEvent(d.events);
  return `${d.carrier_code ?? ""}|${d.tracking_number}|${d.status_code.toUpperCase()}|${d.status_detail_code ?? ""}|${newest?.at ?? ""}`;
}

function isTrack(p: ShipenginePayload): p is ShipenginePayload & { data: ShipengineTrackData } {
  return TRACK_TYPES.has(p.resource_type);
}

/** The newest event by its UTC `occurred_at` (ShipEngine lists newest first, but the order is not relied on). */
function newestEvent(
  events: ShipengineTrackEvent[] | null | undefined,
): { event: ShipengineTrackEvent; at: string } | null {
  let newest: { event: ShipengineTrackEvent; at: string } | null = null;
  for (const event of events ?? []) {
    const at = event.occurred_at ? toUtcIso(event.occurred_at) : null;
    if (at !== null && (newest === null || at > newest.at)) newest = { event, at };
  }
  return newest;
}

function eventData(e: ShipengineTrackEvent): Record<string, string | null> {
  return {
    description: str(e.description),
    event_code: str(e.event_code),
    city: str(e.city_locality),
    state: str(e.state_province),
    postal_code: str(e.postal_code),
    country: str(e.country_code),
    signer: str(e.signer),
    carrier_occurred_at: str(e.carrier_occurred_at),
  };
}

/** The label id of a v2 `resource_url` (`…/v2/labels/se-1234567890/track`), else null. */
function labelId(url: string | null | undefined): string | null {
  return url ? (/\/labels\/(se-[A-Za-z0-9]+)\//.exec(url)?.[1] ?? null) : null;
}

function str(value: unknown): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}
