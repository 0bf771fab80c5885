import { IN_QUEUE_CODES_SQL } from "../delivery-state";

/**
 * Flags sends the queue refused (the receiver's, the sweep's, a replay's or the catch-up's): an
 * event's message (every destination) is flagged for the next sweep without waiting for the grace
 * time, and it no longer counts as on its way; a delivery's message (one destination) is made to
 * look stalled, so the next sweep re-sends it. One batch, two statements, for any number.
 */
export async function markEnqueueFailed(
  db: D1Database,
  refused: readonly { id: string; d?: number }[],
  at: string,
): Promise<void> {
  if (refused.length === 0) return;
  const events = refused.filter((m) => m.d === undefined).map((m) => m.id);
  const deliveries = refused.filter((m) => m.d !== undefined).map((m) => ({ id: m.id, d: m.d }));
  await db.batch([
    db
      .prepare(
        "UPDATE events SET enqueue_failed_at = ?2, swept_at = NULL WHERE id IN (SELECT value FROM json_each(?1))",
      )
      .bind(JSON.stringify(events), at),
    db
      .prepare(
        `UPDATE deliveries SET updated_at = 0
         WHERE state IN ${IN_QUEUE_CODES_SQL} AND (event_seq, destination_no) IN (
           SELECT e.seq, json_extract(j.value, '$.d') FROM json_each(?1) j JOIN events e ON e.id = json_extract(j.value, '$.id'))`,
      )
      .bind(JSON.stringify(deliveries)),
  ]);
}
