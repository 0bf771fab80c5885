import { transition } from "../transitions";

/** The state of an event no consumer has seen yet. */
const WAITING = transition("accept").to;

/**
 * Events the consumer has never seen whose send failed, or that have waited longer than
 * `graceSeconds` since receipt or since they were last sent: at most one re-send per grace time.
 * Ids only (the consumer reads each event from D1).
 */
export function selectUnqueued(db: D1Database, now: Date, graceSeconds: number, limit: number): D1PreparedStatement {
  const cutoff = new Date(now.getTime() - graceSeconds * 1000).toISOString();
  return db
    .prepare(
      `SELECT id, carrier FROM events
       WHERE seen_at IS NULL AND state = '${WAITING}'
         AND (swept_at IS NULL OR swept_at < ?1)
         AND (enqueue_failed_at IS NOT NULL OR received_at < ?1)
       ORDER BY received_at LIMIT ?2`,
    )
    .bind(cutoff, limit);
}

/**
 * How many events are on their way through the queue: sent (by the receiver, the sweep, a replay
 * or the catch-up) within the last `windowSeconds`, not refused, and not yet seen by the consumer.
 * Counted up to `cap` only, so a long backlog costs a bounded read.
 */
export function countOutstanding(db: D1Database, now: Date, windowSeconds: number, cap: number): D1PreparedStatement {
  const since = new Date(now.getTime() - windowSeconds * 1000).toISOString();
  return db
    .prepare(
      `SELECT count(*) AS n FROM (
         SELECT 1 FROM events
         WHERE seen_at IS NULL AND state = '${WAITING}' AND enqueue_failed_at IS NULL
           AND coalesce(swept_at, received_at) >= ?1
         LIMIT ?2)`,
    )
    .bind(since, cap);
}
