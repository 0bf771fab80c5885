import { EVENT_COLUMNS, type EventRow } from "./row-to-event";

/**
 * Events left `retrying` with no attempt for longer than any retry delay could last: their queue
 * message was lost (a local dev reload drops in-memory queues; a consumer bug could too). Not
 * re-sent again until `stallSeconds` after the last sweep.
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
       WHERE state = 'retrying' AND updated_at < ?1 AND (swept_at IS NULL OR swept_at < ?1)
       ORDER BY received_at LIMIT ?2`,
    )
    .bind(cutoff, limit)
    .all<EventRow>();
  return results;
}
