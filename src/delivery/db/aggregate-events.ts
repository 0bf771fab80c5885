import { EVENT_STATE_SQL } from "../delivery-state";

/**
 * The statement that sets `events.state` to the aggregate of each event's deliveries (the events
 * list's state), for the events `seqSubquery` selects, and `updated_at` (`atParam`, ?2 unless
 * said) where it changed (the events_dead alert reads it). Run in the same batch as the
 * deliveries' own moves.
 */
export function aggregateSql(seqSubquery: string, atParam = "?2"): string {
  return `UPDATE events SET state = n.s, updated_at = ${atParam}
    FROM (SELECT events.seq AS seq, ${EVENT_STATE_SQL} AS s FROM events
          WHERE events.seq IN (${seqSubquery})) AS n
    WHERE events.seq = n.seq AND events.state <> n.s`;
}

/** `aggregateSql` for a list of events.seq. */
export function aggregateEvents(db: D1Database, seqs: readonly number[], at: string): D1PreparedStatement {
  return db.prepare(aggregateSql("SELECT value FROM json_each(?1)")).bind(JSON.stringify(seqs), at);
}
