import type { CanonicalStatus, CarrierName, EventType, NormalizedEvent } from "../events/normalized-event";
import { decodeEventData, type StoredBody } from "./body-codec";

/** The columns of `events` that make up the normalized event (`data` is stored against `raw_body`). */
export const EVENT_COLUMNS =
  "id, carrier, type, occurred_at, received_at, tracking_number, carrier_reference, status, carrier_status, reason, data, raw_body";

export interface EventRow {
  id: string;
  carrier: string;
  type: string;
  occurred_at: string;
  received_at: string;
  tracking_number: string | null;
  carrier_reference: string | null;
  status: string | null;
  carrier_status: string | null;
  reason: string | null;
  data: StoredBody;
  raw_body: StoredBody;
}

export function rowToEvent(row: EventRow): NormalizedEvent {
  return {
    id: row.id,
    carrier: row.carrier as CarrierName,
    type: row.type as EventType,
    occurred_at: row.occurred_at,
    received_at: row.received_at,
    tracking_number: row.tracking_number,
    carrier_reference: row.carrier_reference,
    status: row.status as CanonicalStatus | null,
    carrier_status: row.carrier_status,
    reason: row.reason,
    data: JSON.parse(decodeEventData(row.data, row.raw_body)) as Record<string, unknown>,
  };
}
