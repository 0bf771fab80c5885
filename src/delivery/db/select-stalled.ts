import { IN_QUEUE_SQL } from "../delivery-state";

/**
 * Events the consumer saw but never finished (`queued` or `retrying`), quiet for longer than any
 * retry delay could last since their last attempt, first sighting or last sweep: their queue
 * message was lost (a local dev reload drops in-memory queues; a consumer bug could too). Ids only.
 */
export function selectStalled(db: D1Database, now: Date, stallSeconds: number, limit: number): D1PreparedStatement {
  const cutoff = new Date(now.getTime() - stallSeconds * 1000).toISOString();
  return db
    .prepare(
      `SELECT id, carrier FROM events
       WHERE state IN ${IN_QUEUE_SQL} AND seen_at IS NOT NULL
         AND max(updated_at, seen_at, coalesce(swept_at, '')) < ?1
       ORDER BY received_at LIMIT ?2`,
    )
    .bind(cutoff, limit);
}
