import { OWED_CODES_SQL, STATE_CODE, unixSeconds } from "../delivery-state";

/** The state of an event no consumer has seen yet (received, or replayed to every destination). */
const WAITING = "queued";

/** A message the sweep or the catch-up sends: the event, and the delivery it is for when it names one. */
export interface OutgoingRow {
  id: string;
  carrier: string;
  d: number | null;
  g: number | null;
}

/**
 * Events the consumer has never seen whose send failed, or whose last send (or receipt) is older
 * than `graceSeconds` and than the time they had already waited when it was made, up to
 * `maxWaitSeconds`: each re-send doubles the wait (5, 10, 20, 40 min, then every hour), so an
 * event whose queue is merely slow gets a few copies an hour, not one every grace time. The cap
 * matters after a long wait: a send lost after 91 days unseen (an isolate that died between the
 * mark and the send) would otherwise wait 91 days more (sim seed 1256). A lagging queue is the
 * outstanding budget's to protect. `updated_at` is when the event's current wait began (its
 * receipt or replay: the consumer has not touched an unseen event). With the generation of its
 * deliveries (a replayed event's message must carry it).
 */
export function selectUnqueued(
  db: D1Database,
  now: Date,
  graceSeconds: number,
  limit: number,
  maxWaitSeconds = 3600,
): D1PreparedStatement {
  const lastSend = "coalesce(swept_at, updated_at)";
  return db
    .prepare(
      `SELECT id, carrier, NULL AS d, (SELECT max(gen) FROM deliveries WHERE event_seq = events.seq) AS g FROM events
       WHERE seen_at IS NULL AND state = '${WAITING}'
         AND ((enqueue_failed_at IS NOT NULL AND swept_at IS NULL)
              OR julianday(?1) - julianday(${lastSend}) >= min(?4, max(?2, julianday(${lastSend}) - julianday(updated_at))))
       ORDER BY received_at LIMIT ?3`,
    )
    .bind(now.toISOString(), graceSeconds / 86_400, limit, maxWaitSeconds / 86_400);
}

/**
 * How many messages are on their way through the queue, the one budget the sweep and the catch-up
 * share: events sent (by the receiver, the sweep or a replay) within the last `windowSeconds`, not
 * refused, and not yet seen by the consumer; and deliveries of seen events re-queued (by the
 * catch-up or a replay to one destination) within it and not yet taken up. Counted up to `cap`
 * only, so a long backlog costs a bounded read.
 */
export function countOutstanding(db: D1Database, now: Date, windowSeconds: number, cap: number): D1PreparedStatement {
  const since = new Date(now.getTime() - windowSeconds * 1000);
  return db
    .prepare(
      `SELECT (SELECT count(*) FROM (
                 SELECT 1 FROM events
                 WHERE seen_at IS NULL AND state = '${WAITING}' AND enqueue_failed_at IS NULL
                   AND coalesce(swept_at, received_at) >= ?1
                 LIMIT ?2))
            + (SELECT count(*) FROM (
                 SELECT 1 FROM deliveries d JOIN events e ON e.seq = d.event_seq
                 WHERE d.state = ${STATE_CODE.queued} AND d.state IN ${OWED_CODES_SQL} AND d.updated_at >= ?3
                   AND e.seen_at IS NOT NULL
                 LIMIT ?2)) AS n`,
    )
    .bind(since.toISOString(), cap, unixSeconds(since));
}
