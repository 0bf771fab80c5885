import { fromSql, type TransitionName, transition } from "../transitions";

/** The consumer's and catch-up's outcomes for an event. */
export type SettleTransition = Extract<
  TransitionName,
  "forwarded" | "forward-failed" | "outage" | "no-forward-url" | "probe-ok" | "probe-failed"
>;

export interface Settled {
  id: string;
  /** Forward attempts made now (0 or 1). */
  attempts: number;
}

/**
 * One transition for a list of events, in one statement: the state the table says, only from the
 * states it allows (so a slow failure never hides a delivery), plus the attempt count.
 */
export function settle(
  db: D1Database,
  name: SettleTransition,
  events: readonly Settled[],
  at: string,
): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE events SET state = '${transition(name).to}', attempts = events.attempts + c.attempts, updated_at = ?2
       FROM (SELECT json_extract(value, '$.id') AS id, json_extract(value, '$.attempts') AS attempts
             FROM json_each(?1)) AS c
       WHERE events.id = c.id AND ${fromSql(name, "events.state")}`,
    )
    .bind(JSON.stringify(events), at);
}
