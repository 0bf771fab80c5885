/**
 * Records that the sweep, a replay or the catch-up is sending these events now: the sweep leaves
 * them alone for its grace time and counts them as on their way. Written before the send, so a
 * Worker that dies in between costs one grace time, never a lost event.
 */
export function markSwept(db: D1Database, ids: readonly string[], at: string): D1PreparedStatement {
  return db
    .prepare("UPDATE events SET swept_at = ?2, enqueue_failed_at = NULL WHERE id IN (SELECT value FROM json_each(?1))")
    .bind(JSON.stringify(ids), at);
}
