/**
 * The replay's D1 half, in one batch: the events go back to `queued`, unseen by the consumer, and
 * each gets a 'replay' row in its history. `swept_at` is the replay's send time, so the sweep does
 * not send a replay again while it is on its way (its `received_at` is long past the grace time).
 */
export async function markReplayed(db: D1Database, ids: string[], at: string): Promise<void> {
  if (ids.length === 0) return;
  const list = JSON.stringify(ids);
  await db.batch([
    db
      .prepare(
        `UPDATE events SET state = 'queued', seen_at = NULL, swept_at = ?2, enqueue_failed_at = NULL,
           updated_at = ?2
         WHERE id IN (SELECT value FROM json_each(?1))`,
      )
      .bind(list, at),
    db
      .prepare(
        `INSERT INTO event_attempts (event_id, attempted_at, kind)
         SELECT value, ?2, 'replay' FROM json_each(?1)`,
      )
      .bind(list, at),
  ]);
}

/** Flags events whose replay send failed, so the next sweep queues them without waiting. */
export async function markEnqueueFailedMany(db: D1Database, ids: string[], at: string): Promise<void> {
  if (ids.length === 0) return;
  await db
    .prepare("UPDATE events SET enqueue_failed_at = ?2, swept_at = NULL WHERE id IN (SELECT value FROM json_each(?1))")
    .bind(JSON.stringify(ids), at)
    .run();
}
