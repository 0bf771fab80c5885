import { STATE_CODE } from "../delivery-state";
import { fromSql, type TransitionName, transition } from "../transitions";

/** The consumer's outcomes for a delivery. */
export type SettleTransition = Extract<
  TransitionName,
  | "forwarded"
  | "forward-failed"
  | "retries-exhausted"
  | "outage"
  | "refusing"
  | "paused"
  | "destination-fault"
  | "no-forward-url"
  | "probe-ok"
  | "probe-failed"
>;

export interface Settled {
  seq: number;
  no: number;
  /** The generation the message was for: an older one's outcome is ignored (a 2xx still lands). */
  gen: number;
  /** Forward attempts made now (0 or 1). */
  attempts: number;
}

/**
 * One transition for a list of deliveries, in one statement: the state the table says, only from
 * the states it allows (so a slow failure never hides a delivery), only for the generation the
 * message was for, plus the attempt count.
 */
export function settle(
  db: D1Database,
  name: SettleTransition,
  deliveries: readonly Settled[],
  at: string,
): D1PreparedStatement {
  // A 2xx is a delivery whatever generation asked for it: the destination has the event.
  const gen = name === "forwarded" || name === "probe-ok" ? "" : "AND deliveries.gen = c.gen";
  return db
    .prepare(
      `UPDATE deliveries SET state = ${STATE_CODE[transition(name).to]}, attempts = deliveries.attempts + c.attempts,
         updated_at = max(deliveries.updated_at, ?2)
       FROM (SELECT json_extract(value, '$.seq') AS seq, json_extract(value, '$.no') AS no,
               json_extract(value, '$.gen') AS gen, json_extract(value, '$.attempts') AS attempts
             FROM json_each(?1)) AS c
       WHERE deliveries.event_seq = c.seq AND deliveries.destination_no = c.no ${gen}
         AND ${fromSql(name, "deliveries.state")}`,
    )
    .bind(JSON.stringify(deliveries), Math.floor(new Date(at).getTime() / 1000));
}

/**
 * The `match` transition: new deliveries, queued, for the destinations an event matches (existing
 * ones stay); only for events still stored (retention may have deleted one since the batch read it).
 */
export function insertMatched(
  db: D1Database,
  deliveries: readonly { seq: number; no: number; gen: number }[],
  at: string,
): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO deliveries (event_seq, destination_no, state, attempts, gen, updated_at)
       SELECT e.seq, json_extract(j.value, '$.no'), ${STATE_CODE[transition("match").to]}, 0,
              json_extract(j.value, '$.gen'), ?2
       FROM json_each(?1) j JOIN events e ON e.seq = json_extract(j.value, '$.seq') WHERE true
       ON CONFLICT (event_seq, destination_no) DO NOTHING`,
    )
    .bind(JSON.stringify(deliveries), Math.floor(new Date(at).getTime() / 1000));
}
