import { OWES_DELIVERY, OWES_DELIVERY_SQL } from "../../delivery/delivery-state";

// Spelled as comparisons, not `state IN (…)`: SQLite looks a constant IN list up in a temporary
// table, and D1 counts every lookup in `rows_read`, doubling the window's bill.
const OWES = `(${OWES_DELIVERY.map((s) => `state = '${s}'`).join(" OR ")})`;

/**
 * The next window of events after the retention cursor, at most ?2 of them, in `seq` order (the
 * table's own key: each row read once, whatever their times), up to the last expired event (the
 * newest `received_at` before the cutoff, one lookup in events_received; `received_at` grows with
 * `seq`, and an event stored late with an older time only widens the window), each with whether it
 * expired and whether it still owes a delivery. The cursor (retention_cursor, migrations/0011) is
 * where the last window ended, so an expired event that still owes a delivery is read once per
 * pass over the expired events, not on every run: a run reads at most its windows, however many
 * such events wait.
 */
const EXPIRED_WINDOW = `SELECT seq, received_at < ?1 AS expired, ${OWES} AS owed FROM events
  WHERE seq > (SELECT seq FROM retention_cursor WHERE id = 1)
    AND seq <= (SELECT seq FROM events WHERE received_at < ?1 ORDER BY received_at DESC LIMIT 1)
  ORDER BY seq LIMIT ?2`;

/** The events of a window that owe nothing, checked again inside the deleting transaction. */
const DELETABLE = `SELECT seq FROM events
  WHERE seq IN (SELECT value FROM json_each(?1)) AND state NOT IN ${OWES_DELIVERY_SQL}`;

export interface DeletedEvents {
  events: number;
  attempts: number;
  /** Expired events the window read (deleted or still owing). */
  scanned: number;
  /** False when the window was full: more expired events may follow the cursor. */
  end: boolean;
  statements: number;
  /** D1's `meta.rows_read` over the statements. */
  rowsRead: number;
}

/**
 * One window of events: reads up to `limit` of them after the cursor, then in one batch
 * (one transaction) deletes those owing no delivery with their attempt and replay history (their
 * deliveries go by trigger), and moves the cursor to the window's end, or back to the start when the window reached the last
 * expired event (the next pass finds what was owed and is now delivered). Two round trips, four
 * statements at most.
 */
export async function deleteExpiredEvents(db: D1Database, cutoff: string, limit: number): Promise<DeletedEvents> {
  const window = await db
    .prepare(EXPIRED_WINDOW)
    .bind(cutoff, limit)
    .all<{ seq: number; expired: number; owed: number }>();
  const rows = window.results;
  const last = rows[rows.length - 1];
  const end = rows.length < limit || last === undefined;
  const cursor = end ? 0 : last.seq;
  const list = JSON.stringify(rows.filter((r) => r.expired === 1 && r.owed === 0).map((r) => r.seq));
  const statements = [
    ...(list === "[]"
      ? []
      : [
          db.prepare(`DELETE FROM event_attempts WHERE event_seq IN (${DELETABLE})`).bind(list),
          // RETURNING counts the events themselves: D1's `changes` adds the deliveries the trigger deletes.
          db.prepare(`DELETE FROM events WHERE seq IN (${DELETABLE}) RETURNING seq`).bind(list),
        ]),
    // An empty window at the start has nothing to move.
    ...(rows.length === 0 && end ? [] : [db.prepare("UPDATE retention_cursor SET seq = ?1 WHERE id = 1").bind(cursor)]),
  ];
  const results = statements.length > 0 ? await db.batch(statements) : [];
  const changes = (i: number) => (list === "[]" ? 0 : (results[i]?.meta.changes ?? 0));
  return {
    attempts: changes(0),
    events: list === "[]" ? 0 : (results[1]?.results.length ?? 0),
    scanned: rows.length,
    end,
    statements: 1 + statements.length,
    rowsRead: rowsRead([window, ...results]),
  };
}

/** The plan of the window query, for a test that it stays an index range scan with no sort. */
export const EXPIRED_WINDOW_SQL = EXPIRED_WINDOW;

/** The rows D1 read for a batch's statements (`meta.rows_read`, what D1 bills). */
export function rowsRead(results: readonly (D1Result | undefined)[]): number {
  return results.reduce((n, r) => n + ((r?.meta as { rows_read?: number } | undefined)?.rows_read ?? 0), 0);
}
