import { EVENT_COLUMNS } from "../../db/row-to-event";
import { fromSql, transition } from "../transitions";

const HELD = fromSql("caught-up");

/**
 * The catch-up's probe: the held event probed least recently, oldest first (a failed probe moves
 * its `updated_at` on, so one event the downstream refuses never blocks the catch-up).
 */
export function selectProbe(db: D1Database): D1PreparedStatement {
  return db.prepare(`SELECT ${EVENT_COLUMNS} FROM events WHERE ${HELD} ORDER BY updated_at, received_at LIMIT 1`);
}

/** Held events, oldest first, ids only. */
export function selectHeld(db: D1Database, limit: number): D1PreparedStatement {
  return db.prepare(`SELECT id, carrier FROM events WHERE ${HELD} ORDER BY received_at LIMIT ?1`).bind(limit);
}

/**
 * Held events go back to `queued`, unseen, with `swept_at` set to now (on their way, so the sweep
 * leaves them alone). Only those still held: returns the ids and carriers to send.
 */
export function markCaughtUp(db: D1Database, ids: readonly string[], at: string): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE events SET state = '${transition("caught-up").to}', seen_at = NULL, swept_at = ?2,
         enqueue_failed_at = NULL, updated_at = ?2
       WHERE id IN (SELECT value FROM json_each(?1)) AND ${fromSql("caught-up")}
       RETURNING id, carrier`,
    )
    .bind(JSON.stringify(ids), at);
}
