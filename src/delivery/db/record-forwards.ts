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
 * One `event_attempts` row per forward, with its destination, in one statement; only for events
 * still stored (retention may have deleted one since the batch read it: its history goes with it).
 */
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
      `INSERT INTO event_attempts (event_seq, destination_no, attempted_at, kind, http_status, error, duration_ms)
       SELECT e.seq, json_extract(j.value, '$.destination_no'),
              json_extract(j.value, '$.attempted_at'), 'forward', json_extract(j.value, '$.http_status'),
              json_extract(j.value, '$.error'), json_extract(j.value, '$.duration_ms')
       FROM json_each(?1) j JOIN events e ON e.id = json_extract(j.value, '$.event_id')`,
    )
    .bind(JSON.stringify(rows));
}
