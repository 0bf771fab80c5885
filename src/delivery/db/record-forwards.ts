/** One forward attempt, as event_attempts records it. */
export interface ForwardRecord {
  eventId: string;
  destinationNo: number;
  attemptedAt: string;
  httpStatus: number | null;
  error: string | null;
  durationMs: number;
}

/**
 * `events.attempts`: every forward made for an event, all destinations and replays together (a
 * delivery's own count restarts on a replay; this one does not). One statement.
 */
export function countForwards(db: D1Database, records: readonly ForwardRecord[]): D1PreparedStatement {
  const perEvent = new Map<string, number>();
  for (const r of records) perEvent.set(r.eventId, (perEvent.get(r.eventId) ?? 0) + 1);
  return db
    .prepare(
      `UPDATE events SET attempts = events.attempts + c.n
       FROM (SELECT json_extract(value, '$[0]') AS id, json_extract(value, '$[1]') AS n FROM json_each(?1)) AS c
       WHERE events.id = c.id`,
    )
    .bind(JSON.stringify([...perEvent]));
}

/** One `event_attempts` row per forward, with its destination, in one statement. */
export function recordForwards(db: D1Database, records: readonly ForwardRecord[]): D1PreparedStatement {
  const rows = records.map((o) => ({
    event_id: o.eventId,
    destination_no: o.destinationNo,
    attempted_at: o.attemptedAt,
    http_status: o.httpStatus,
    error: o.error,
    duration_ms: o.durationMs,
  }));
  return db
    .prepare(
      `INSERT INTO event_attempts (event_id, destination_no, attempted_at, kind, http_status, error, duration_ms)
       SELECT json_extract(value, '$.event_id'), json_extract(value, '$.destination_no'),
              json_extract(value, '$.attempted_at'), 'forward', json_extract(value, '$.http_status'),
              json_extract(value, '$.error'), json_extract(value, '$.duration_ms')
       FROM json_each(?1)`,
    )
    .bind(JSON.stringify(rows));
}
