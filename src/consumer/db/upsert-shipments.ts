import { isoToMs } from "../../time/unix-ms";
import type { ShipmentUpdate } from "../shipment-updates";

/**
 * Moves each shipment only to a strictly newer event (carrier time, then the later stored on a tie), so a
 * late or redelivered event never overwrites a newer one and applying one twice changes nothing.
 * Rows of one statement are applied in turn, so two updates of one shipment in a batch also
 * resolve to the newest. Only for events still stored: retention deletes a shipment with its last
 * event, and may have deleted this one since the consumer read it. `updated_at` moves for every
 * event seen, a late older one too: retention deletes a shipment not heard of for RETENTION_DAYS,
 * never one whose event just arrived (sim seeds 165, 1231, 1273: a late event kept, its shipment
 * deleted). Both times are stored as Unix milliseconds (migrations/0011).
 */
// Every SET reads the row as it was, so each column tests the same "newer" of the old row.
const NEWER = `(excluded.last_event_at > shipments.last_event_at
  OR (excluded.last_event_at = shipments.last_event_at AND excluded.last_event_seq > shipments.last_event_seq))`;

export function upsertShipments(db: D1Database, updates: readonly ShipmentUpdate[], at: string): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO shipments (carrier, tracking_number, status, last_event_at, last_event_seq, updated_at)
       SELECT json_extract(u.value, '$.carrier'), json_extract(u.value, '$.tracking_number'),
              json_extract(u.value, '$.status'),
              json_extract(u.value, '$.occurred_at'), e.seq, ?2
       FROM json_each(?1) AS u JOIN events e ON e.id = json_extract(u.value, '$.event_id')
       WHERE true
       ON CONFLICT (carrier, tracking_number) DO UPDATE SET
         status = iif(${NEWER}, excluded.status, shipments.status),
         last_event_at = iif(${NEWER}, excluded.last_event_at, shipments.last_event_at),
         last_event_seq = iif(${NEWER}, excluded.last_event_seq, shipments.last_event_seq),
         updated_at = max(shipments.updated_at, excluded.updated_at)`,
    )
    .bind(JSON.stringify(updates.map((u) => ({ ...u, occurred_at: isoToMs(u.occurred_at) }))), isoToMs(at));
}
