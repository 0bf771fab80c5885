import { EVENT_COLUMNS, type EventRow, rowToEvent } from "../../db/row-to-event";
import type { DeliveryState, NormalizedEvent } from "../../events/normalized-event";
import type { ShipmentUpdate } from "../shipment-updates";

/** An event as D1 holds it, with its delivery state. */
export interface StoredState {
  state: DeliveryState;
  event: NormalizedEvent;
}

/**
 * The batch's first D1 round trip, one `db.batch` whatever the batch size (each statement takes its
 * list as one JSON parameter, so no statement count or bound-parameter limit grows with it):
 * reads each event as D1 holds it with its delivery state, sets `seen_at` where unset (the sweep
 * stops re-queueing it), and applies the shipment updates. The event read is what gets forwarded:
 * a queue message may carry an event without its `data` (too large for a message).
 */
export async function openBatch(
  db: D1Database,
  eventIds: string[],
  updates: ShipmentUpdate[],
  at: string,
): Promise<Map<string, StoredState>> {
  const ids = JSON.stringify(eventIds);
  const statements = [
    db.prepare(`SELECT ${EVENT_COLUMNS}, state FROM events WHERE id IN (SELECT value FROM json_each(?1))`).bind(ids),
    db
      .prepare("UPDATE events SET seen_at = ?2 WHERE id IN (SELECT value FROM json_each(?1)) AND seen_at IS NULL")
      .bind(ids, at),
  ];
  if (updates.length > 0) statements.push(upsertShipments(db, updates, at));
  const [read] = await db.batch<EventRow & { state: DeliveryState }>(statements);
  if (!read) throw new Error("D1 batch returned no result for the state read");
  return new Map(read.results.map((r) => [r.id, { state: r.state, event: rowToEvent(r) }]));
}

/**
 * Moves each shipment only to a strictly newer event (carrier time, then event id on a tie), so a
 * late or redelivered event never overwrites a newer one and applying one twice changes nothing.
 * Rows of one statement are applied in turn, so two updates of one shipment in a batch also
 * resolve to the newest. Events missing from D1 move nothing (their timeline row does not exist).
 */
function upsertShipments(db: D1Database, updates: ShipmentUpdate[], at: string): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO shipments (carrier, tracking_number, status, carrier_status, last_event_at, last_event_id, updated_at)
       SELECT json_extract(u.value, '$.carrier'), json_extract(u.value, '$.tracking_number'),
              json_extract(u.value, '$.status'), json_extract(u.value, '$.carrier_status'),
              json_extract(u.value, '$.occurred_at'), json_extract(u.value, '$.event_id'), ?2
       FROM json_each(?1) AS u
       WHERE EXISTS (SELECT 1 FROM events e WHERE e.id = json_extract(u.value, '$.event_id'))
       ON CONFLICT (carrier, tracking_number) DO UPDATE SET
         status = excluded.status,
         carrier_status = excluded.carrier_status,
         last_event_at = excluded.last_event_at,
         last_event_id = excluded.last_event_id,
         updated_at = excluded.updated_at
       WHERE excluded.last_event_at > shipments.last_event_at
          OR (excluded.last_event_at = shipments.last_event_at AND excluded.last_event_id > shipments.last_event_id)`,
    )
    .bind(JSON.stringify(updates), at);
}
