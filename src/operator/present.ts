import { rowToEvent } from "../db/row-to-event";
import { isUndecodable, tryRowToEvent } from "../db/try-decode";
import { stateOfCode } from "../delivery/delivery-state";
import type { Issue } from "../errors/api-error";
import type { CanonicalStatus, CarrierName, DeliveryState } from "../events/normalized-event";
import type { AttemptRow, DeliveryRow, EventDetailRow } from "./db/get-event-detail";
import type { ListedEventRow } from "./db/list-events";
import type { QuarantineRow } from "./db/list-quarantine";
import type { ShipmentListRow } from "./db/list-shipments";
import type { ApiEvent, DeliveryDetail, EventDetail, QuarantinedDelivery, ShipmentRow } from "./response-schemas";

/**
 * The normalized event plus its delivery state: what every event in an answer looks like. A row
 * whose stored `data` cannot be decoded is shown with its columns and `data: { undecodable: why }`,
 * so one broken row cannot fail a whole page.
 */
export function presentEvent(row: ListedEventRow): ApiEvent {
  const event = tryRowToEvent(row);
  if (!isUndecodable(event)) return { ...event, state: row.state as DeliveryState };
  return {
    ...rowToEvent({ ...row, data: "{}" }),
    data: { undecodable: event.error },
    state: row.state as DeliveryState,
  };
}

/** The raw body as received, and its JSON when it is JSON (it always is for a stored event). */
function rawBody(text: string) {
  try {
    return { raw_body: text, raw_json: JSON.parse(text) as unknown };
  } catch {
    return { raw_body: text, raw_json: null };
  }
}

export function presentEventDetail(row: EventDetailRow, history: AttemptRow[], deliveries: DeliveryRow[]): EventDetail {
  const attempt = (a: AttemptRow) => ({
    destination_id: a.destination_id,
    attempted_at: a.attempted_at,
    http_status: a.http_status,
    error: a.error,
    duration_ms: a.duration_ms,
  });
  return {
    event: presentEvent(row),
    ...rawBody(row.raw_body),
    request_url: row.request_url,
    duplicates: row.duplicates,
    seen_at: row.seen_at,
    enqueue_failed_at: row.enqueue_failed_at,
    deliveries: deliveries.map((d) => ({
      destination_id: d.destination_id,
      state: stateOfCode(d.state) as DeliveryDetail["state"],
      attempts: d.attempts,
    })),
    // Forward attempts, and the dead-lettering (kind 'dead') after the last of them.
    attempts: history
      .filter((a) => a.kind !== "replay")
      .map((a) => ({ kind: a.kind as "forward" | "dead", ...attempt(a) })),
    replays: history
      .filter((a) => a.kind === "replay")
      .map((a) => ({ replayed_at: a.attempted_at, destination_id: a.destination_id })),
  };
}

export function presentQuarantine(row: QuarantineRow): QuarantinedDelivery {
  return {
    id: row.id,
    carrier: row.carrier,
    received_at: row.received_at,
    request_url: row.request_url,
    issues: JSON.parse(row.issues) as Issue[],
    ...rawBody(row.raw_body),
    resolved_event_id: row.resolved_event_id,
    resolved_at: row.resolved_at,
  };
}

export function presentShipmentRow(row: ShipmentListRow): ShipmentRow {
  return {
    tracking_number: row.tracking_number,
    carrier: row.carrier as CarrierName,
    status: row.status as CanonicalStatus,
    carrier_status: row.carrier_status,
    last_event_at: row.last_event_at,
    last_event_id: row.last_event_id,
  };
}
