/**
 * Flags events whose queue send failed (the receiver's, the sweep's, a replay's or the
 * catch-up's): the next sweep sends them without waiting for the grace time, and they do not
 * count as on their way through the queue. One statement for any number of events.
 */
export async function markEnqueueFailed(db: D1Database, ids: readonly string[], at: string): Promise<void> {
  if (ids.length === 0) return;
  await db
    .prepare("UPDATE events SET enqueue_failed_at = ?2, swept_at = NULL WHERE id IN (SELECT value FROM json_each(?1))")
    .bind(JSON.stringify(ids), at)
    .run();
}
