import { OWES_DELIVERY_SQL } from "../../delivery/delivery-state";

/**
 * The oldest expired events that owe no delivery, at most ?2 of them: a range of events_received
 * in index order (no sort), each row checked for its state.
 */
const EXPIRED_CHUNK = `SELECT seq FROM events
  WHERE received_at < ?1 AND state NOT IN ${OWES_DELIVERY_SQL}
  ORDER BY received_at, seq LIMIT ?2`;

export interface DeletedEvents {
  events: number;
  attempts: number;
  shipments: number;
  /** D1's `meta.rows_read` over the batch. */
  rowsRead: number;
}

/**
 * Deletes one chunk of events received before `cutoff` with their attempt and replay history, the
 * raw bodies in their rows, and the shipments whose last event they are: one batch (one
 * transaction, so all three statements see the same chunk), three statements.
 */
export async function deleteExpiredEvents(db: D1Database, cutoff: string, limit: number): Promise<DeletedEvents> {
  const [attempts, shipments, events] = await db.batch([
    db
      .prepare(`DELETE FROM event_attempts WHERE event_id IN (SELECT id FROM events WHERE seq IN (${EXPIRED_CHUNK}))`)
      .bind(cutoff, limit),
    db
      .prepare(`DELETE FROM shipments WHERE last_event_id IN (SELECT id FROM events WHERE seq IN (${EXPIRED_CHUNK}))`)
      .bind(cutoff, limit),
    db.prepare(`DELETE FROM events WHERE seq IN (${EXPIRED_CHUNK})`).bind(cutoff, limit),
  ]);
  return {
    events: events?.meta.changes ?? 0,
    attempts: attempts?.meta.changes ?? 0,
    shipments: shipments?.meta.changes ?? 0,
    rowsRead: rowsRead([attempts, shipments, events]),
  };
}

/** The plan of the chunk query, for a test that it stays an index range scan with no sort. */
export const EXPIRED_CHUNK_SQL = EXPIRED_CHUNK;

/** The rows D1 read for a batch's statements (`meta.rows_read`, what D1 bills). */
export function rowsRead(results: readonly (D1Result | undefined)[]): number {
  return results.reduce((n, r) => n + ((r?.meta as { rows_read?: number } | undefined)?.rows_read ?? 0), 0);
}
