import { EVENT_COLUMNS } from "../../db/row-to-event";
import type { CarrierName } from "../../events/normalized-event";
import { msToIso } from "../../time/unix-ms";
import type { ListedEventRow } from "./list-events";

export interface ShipmentRow {
  carrier: string;
  tracking_number: string;
  status: string;
  carrier_status: string | null;
  last_event_at: string;
  last_event_id: string;
  updated_at: string;
}

/**
 * A shipment's current state (kept by the queue consumer) and its timeline (the events table
 * itself), in carrier time order. Without a carrier, the most recently updated shipment with
 * that tracking number is meant: tracking numbers rarely repeat across carriers.
 */
export async function getShipment(
  db: D1Database,
  trackingNumber: string,
  carrier?: CarrierName,
): Promise<{ shipment: ShipmentRow | null; timeline: ListedEventRow[] }> {
  const [shipments, events] = await db.batch([
    db
      .prepare(
        `SELECT carrier, tracking_number, status, last_event_at, updated_at,
                (SELECT id FROM events WHERE seq = last_event_seq) AS last_event_id,
                (SELECT carrier_status FROM events WHERE seq = last_event_seq) AS carrier_status
         FROM shipments WHERE tracking_number = ?1 AND (?2 IS NULL OR carrier = ?2)
         ORDER BY last_event_at DESC LIMIT 1`,
      )
      .bind(trackingNumber, carrier ?? null),
    db
      .prepare(
        `SELECT seq, state, ${EVENT_COLUMNS} FROM events
         WHERE tracking_number = ?1 AND (?2 IS NULL OR carrier = ?2)
         ORDER BY occurred_at, id LIMIT 1000`,
      )
      .bind(trackingNumber, carrier ?? null),
  ]);
  // Its times are Unix milliseconds in the table (migrations/0011), ISO 8601 everywhere else.
  const stored = shipments?.results[0] as
    | (Omit<ShipmentRow, "last_event_at" | "updated_at" | "last_event_id"> & {
        last_event_at: number;
        updated_at: number;
        last_event_id: string | null;
      })
    | undefined;
  // Named by seq (0011): a shipment whose last event retention has just deleted is expiring too.
  const lastEventId = stored?.last_event_id ?? null;
  const shipment: ShipmentRow | null =
    stored && lastEventId !== null
      ? {
          ...stored,
          last_event_id: lastEventId,
          last_event_at: msToIso(stored.last_event_at),
          updated_at: msToIso(stored.updated_at),
        }
      : null;
  let timeline = (events?.results ?? []) as ListedEventRow[];
  const shipmentCarrier = shipment?.carrier ?? timeline[timeline.length - 1]?.carrier;
  timeline = timeline.filter((e) => e.carrier === shipmentCarrier);
  return { shipment, timeline };
}
