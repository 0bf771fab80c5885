import { OWED_CODES_SQL, STATE_CODE, sqlList, unixSeconds } from "../delivery-state";
import { fromSql, transition } from "../transitions";
import { aggregateSql } from "./aggregate-events";

const HELD = STATE_CODE.held;
// deliveries_owed is a partial index (WHERE state IN the owed codes): SQLite uses it only when the
// query spells that term too (`state = 3` alone does not tell it), else it reads every delivery.
const OWED = `state IN ${OWED_CODES_SQL}`;

/**
 * Held deliveries per destination: one primary-key lookup of delivery_counts each (migrations/0013,
 * kept by triggers), whatever the number of deliveries held.
 */
export function countHeld(db: D1Database): D1PreparedStatement {
  return db.prepare(
    `SELECT s.no, coalesce(c.n, 0) AS held FROM destinations s
     LEFT JOIN delivery_counts c ON c.destination_no = s.no AND c.state = ${HELD}`,
  );
}

/**
 * The catch-up's probe of a destination: its held delivery moved least recently, oldest first (a
 * probe moves it to the back, so one event the destination refuses never blocks the others). The
 * first entry of that destination's range of deliveries_held_moved (migrations/0013).
 */
export function selectProbe(db: D1Database, no: number): D1PreparedStatement {
  return db
    .prepare(
      `SELECT e.id, e.carrier, d.destination_no AS d, d.gen AS g FROM deliveries d
       JOIN events e ON e.seq = d.event_seq
       WHERE d.destination_no = ?1 AND d.state = ${HELD} AND d.${OWED} ORDER BY d.updated_at, d.event_seq LIMIT 1`,
    )
    .bind(no);
}

/** A probe is on its way: the delivery goes to the back of the probe order (still held). */
export function touchProbed(db: D1Database, id: string, no: number, at: string): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE deliveries SET updated_at = ?3
       WHERE event_seq = (SELECT seq FROM events WHERE id = ?1) AND destination_no = ?2 AND state = ${HELD}`,
    )
    .bind(id, no, unixSeconds(at));
}

/** A destination's held deliveries, oldest first. */
export function selectHeld(db: D1Database, no: number, limit: number): D1PreparedStatement {
  return db
    .prepare(
      `SELECT e.id, e.carrier, d.destination_no AS d, d.gen AS g, d.event_seq AS seq FROM deliveries d
       JOIN events e ON e.seq = d.event_seq
       WHERE d.destination_no = ?1 AND d.state = ${HELD} AND d.${OWED} ORDER BY d.event_seq LIMIT ?2`,
    )
    .bind(no, limit);
}

const PAIRS = `SELECT e.seq, json_extract(j.value, '$.d') FROM json_each(?1) j
  JOIN events e ON e.id = json_extract(j.value, '$.id')`;

/**
 * The `caught-up` transition: these held deliveries go back to `queued` with a new generation
 * (their message, sent next, carries it: an older message of the event, say the receiver's still
 * retrying for another destination, can then neither forward nor dead-letter them), only those
 * still held; and their events' list state. Returns the statements, for one batch.
 */
export function markCaughtUp(
  db: D1Database,
  rows: readonly { id: string; d: number | null }[],
  at: string,
): D1PreparedStatement[] {
  const list = JSON.stringify(rows.map((r) => ({ id: r.id, d: r.d })));
  return [
    db
      .prepare(
        `UPDATE deliveries SET state = ${STATE_CODE[transition("caught-up").to]}, gen = gen + 1, updated_at = ?2
         WHERE (event_seq, destination_no) IN (${PAIRS}) AND ${fromSql("caught-up")}
         RETURNING event_seq, destination_no, gen`,
      )
      .bind(list, unixSeconds(at)),
    db
      .prepare(aggregateSql(`SELECT e.seq FROM json_each(?1) j JOIN events e ON e.id = json_extract(j.value, '$.id')`))
      .bind(list, at),
  ];
}

/**
 * The `destination-deleted` transition: every delivery a deleted destination still owed, or that
 * went dead there, is dropped (nothing more is sent there, and a replay has nowhere to go), and
 * their events' list state follows. What was delivered there stays `delivered`: the event reached
 * it, and the list says so. Deleting a destination changes no event's state by itself; only these
 * moves do, in the same batch as their aggregate (docs/consumer.md, invariant 6). The drop reads
 * each deleted destination's range of deliveries_owed, and of deliveries_unsettled for the dead;
 * the events it dropped are found again by its time in deliveries_dropped (migrations/0013), never
 * by reading every delivery.
 */
export function dropDeleted(db: D1Database, at: string): D1PreparedStatement[] {
  const now = unixSeconds(at);
  const deleted = "(SELECT no FROM destinations WHERE deleted_at IS NOT NULL)";
  const to = STATE_CODE[transition("destination-deleted").to];
  return [
    db
      .prepare(`UPDATE deliveries SET state = ${to}, updated_at = ?1 WHERE destination_no IN ${deleted} AND ${OWED}`)
      .bind(now),
    // `state <> 4` is deliveries_unsettled's WHERE (migrations/0011), spelled so SQLite seeks it.
    db
      .prepare(
        `UPDATE deliveries SET state = ${to}, updated_at = ?1
         WHERE destination_no IN ${deleted} AND state = ${STATE_CODE.dead} AND state <> ${STATE_CODE.delivered}`,
      )
      .bind(now),
    db
      .prepare(
        aggregateSql(
          `SELECT event_seq FROM deliveries WHERE destination_no IN ${deleted} AND state = ${STATE_CODE.dropped} AND updated_at = ?1`,
          "?2",
        ),
      )
      .bind(now, at),
  ];
}

/**
 * Whether some deleted destination still has deliveries to drop (then dropDeleted has work): a
 * primary-key lookup of delivery_counts per destination, whatever the number of deliveries.
 */
export function countToDropForDeleted(db: D1Database): D1PreparedStatement {
  return db.prepare(
    `SELECT count(*) AS n FROM destinations s WHERE s.deleted_at IS NOT NULL
       AND EXISTS (SELECT 1 FROM delivery_counts c WHERE c.destination_no = s.no
                   AND c.state IN ${sqlList(transition("destination-deleted").from)} AND c.n > 0)`,
  );
}
