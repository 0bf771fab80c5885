import { IN_QUEUE_CODES_SQL, unixSeconds } from "../delivery-state";

/**
 * Deliveries waiting for their message (`queued` or `retrying`) of events the consumer has seen,
 * quiet for longer than any retry delay could last since their last move or re-send: their queue
 * message was lost (a local dev reload drops in-memory queues; a consumer bug could too).
 */
export function selectStalled(db: D1Database, now: Date, stallSeconds: number, limit: number): D1PreparedStatement {
  const cutoff = unixSeconds(now) - stallSeconds;
  return db
    .prepare(
      `SELECT e.id, e.carrier, d.destination_no AS d, d.gen AS g FROM deliveries d JOIN events e ON e.seq = d.event_seq
       WHERE d.state IN ${IN_QUEUE_CODES_SQL} AND d.updated_at < ?1 AND e.seen_at IS NOT NULL
       ORDER BY d.updated_at LIMIT ?2`,
    )
    .bind(cutoff, limit);
}
