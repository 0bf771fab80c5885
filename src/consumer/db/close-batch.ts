import type { ForwardOutcome } from "../forward-event";

/** The delivery state a batch leaves an event in. */
export interface StateChange {
  id: string;
  state: "delivered" | "retrying" | "stored";
  /** Forward attempts made in this batch (0 or 1). */
  attempts: number;
}

/**
 * The batch's second D1 round trip, one `db.batch`: logs every forward attempt and sets each
 * event's state and attempt count. `delivered` always lands (the downstream has it); `retrying`
 * and `stored` only replace `queued` or `retrying`, so a slower failure never hides a delivery.
 */
export async function closeBatch(
  db: D1Database,
  outcomes: ForwardOutcome[],
  changes: StateChange[],
  at: string,
): Promise<void> {
  const statements: D1PreparedStatement[] = [];
  if (outcomes.length > 0) {
    const rows = outcomes.map((o) => ({
      event_id: o.eventId,
      attempted_at: o.attemptedAt,
      http_status: o.httpStatus,
      error: o.error,
      duration_ms: o.durationMs,
    }));
    statements.push(
      db
        .prepare(
          `INSERT INTO event_attempts (event_id, attempted_at, kind, http_status, error, duration_ms)
           SELECT json_extract(value, '$.event_id'), json_extract(value, '$.attempted_at'), 'forward',
                  json_extract(value, '$.http_status'), json_extract(value, '$.error'),
                  json_extract(value, '$.duration_ms')
           FROM json_each(?1)`,
        )
        .bind(JSON.stringify(rows)),
    );
  }
  if (changes.length > 0) {
    statements.push(
      db
        .prepare(
          `UPDATE events SET
             state = CASE WHEN c.state = 'delivered' OR events.state IN ('queued', 'retrying')
                          THEN c.state ELSE events.state END,
             attempts = events.attempts + c.attempts,
             updated_at = ?2
           FROM (SELECT json_extract(value, '$.id') AS id, json_extract(value, '$.state') AS state,
                        json_extract(value, '$.attempts') AS attempts
                 FROM json_each(?1)) AS c
           WHERE events.id = c.id`,
        )
        .bind(JSON.stringify(changes), at),
    );
  }
  if (statements.length > 0) await db.batch(statements);
}
