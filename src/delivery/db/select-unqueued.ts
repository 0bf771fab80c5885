import { transition } from "../transitions";

/** The state of an event no consumer has seen yet. */
const WAITING = transition("accept").to;

/**
 * Events the consumer has never seen whose send failed, or whose last send (or receipt) is older
 * than `graceSeconds` and than the time they had already waited when it was made: each re-send
 * doubles the wait (5, 10, 20, 40 min, …), so an event whose queue is merely slow gets a few
 * copies over days, not one every grace time. `updated_at` is when the event's current wait began
 * (its receipt, replay or catch-up: the consumer has not touched an unseen event). Ids only.
 */
export function selectUnqueued(db: D1Database, now: Date, graceSeconds: number, limit: number): D1PreparedStatement {
  const lastSend = "coalesce(swept_at, updated_at)";
  return db
    .prepare(
      `SELECT id, carrier FROM events
       WHERE seen_at IS NULL AND state = '${WAITING}'
         AND ((enqueue_failed_at IS NOT NULL AND swept_at IS NULL)
              OR julianday(?1) - julianday(${lastSend}) >= max(?2, julianday(${lastSend}) - julianday(updated_at)))
       ORDER BY received_at LIMIT ?3`,
    )
    .bind(now.toISOString(), graceSeconds / 86_400, limit);
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
