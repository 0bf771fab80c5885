import { IN_QUEUE_CODES_SQL, unixSeconds } from "../delivery-state";
import type { OutgoingRow } from "./select-unqueued";

/**
 * Records that the sweep is sending these messages now: an unseen event's `swept_at` (the sweep
 * leaves it alone for its grace time and counts it as on its way), a stalled delivery's last move
 * (so it is not re-sent before another stall time). Written before the send, so a Worker that
 * dies in between costs one grace time, never a lost event. One batch, two statements.
 */
export function markSwept(db: D1Database, rows: readonly OutgoingRow[], at: string): D1PreparedStatement[] {
  const events = rows.filter((r) => r.d === null).map((r) => r.id);
  const deliveries = rows.filter((r) => r.d !== null).map((r) => ({ id: r.id, d: r.d }));
  return [
    db
      .prepare(
        "UPDATE events SET swept_at = ?2, enqueue_failed_at = NULL WHERE id IN (SELECT value FROM json_each(?1))",
      )
      .bind(JSON.stringify(events), at),
    db
      .prepare(
        `UPDATE deliveries SET updated_at = ?2
         WHERE state IN ${IN_QUEUE_CODES_SQL} AND (event_seq, destination_no) IN (
           SELECT e.seq, json_extract(j.value, '$.d') FROM json_each(?1) j JOIN events e ON e.id = json_extract(j.value, '$.id'))`,
      )
      .bind(JSON.stringify(deliveries), unixSeconds(at)),
  ];
}
