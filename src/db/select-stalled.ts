import { EVENT_COLUMNS, type EventRow } from "./row-to-event";

/**
 * Events the consumer saw but never finished (`queued` or `retrying`), quiet for longer than any
 * retry delay could last since their last attempt, first sighting or last sweep: their queue message
 * was lost (a local dev reload drops in-memory queues; a consumer bug could too).
 */
export async function selectStalled(
  db: D1Database,
  now: Date,
  stallSeconds: number,
  limit: number,
): Promise<EventRow[]> {
  const cutoff = new Date(now.getTime() - stallSeconds * 1000).toISOString();
  const { results } = await db
    .prepare(
      `SELECT ${EVENT_COLUMNS} FROM events
       WHERE state IN ('queued', 'retrying') AND seen_at IS NOT NULL
         AND max(updated_at, seen_at, coalesce(swept_at, '')) < ?1
       ORDER BY received_at LIMIT ?2`,
    )
    .bind(cutoff, limit)
    .all<EventRow>();
  return results;
}
