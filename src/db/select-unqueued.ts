import { EVENT_COLUMNS, type EventRow } from "./row-to-event";

/**
 * Events the consumer has never seen (`seen_at IS NULL`) whose send failed, or that have waited
 * longer than `graceSeconds` since receipt or since the last sweep sent them. The grace keeps the
 * sweep from re-sending events that are simply still on their way through the queue.
 */
export async function selectUnqueued(
  db: D1Database,
  now: Date,
  graceSeconds: number,
  limit: number,
): Promise<EventRow[]> {
  const cutoff = new Date(now.getTime() - graceSeconds * 1000).toISOString();
  const { results } = await db
    .prepare(
      `SELECT ${EVENT_COLUMNS} FROM events
       WHERE seen_at IS NULL AND state = 'queued'
         AND (swept_at IS NULL OR swept_at < ?1)
         AND (enqueue_failed_at IS NOT NULL OR received_at < ?1)
       ORDER BY received_at LIMIT ?2`,
    )
    .bind(cutoff, limit)
    .all<EventRow>();
  return results;
}

/** One statement for the whole page: D1 counts every statement toward a Worker's queries per invocation. */
export async function markSwept(db: D1Database, ids: string[], at: string): Promise<void> {
  if (ids.length === 0) return;
  await db
    .prepare("UPDATE events SET swept_at = ?2 WHERE id IN (SELECT value FROM json_each(?1))")
    .bind(JSON.stringify(ids), at)
    .run();
}
