import { EVENT_COLUMNS } from "../../db/row-to-event";
import { undecodableText } from "../../db/try-decode";
import { STATE_CODE } from "../../delivery/delivery-state";
import type { ListedEventRow } from "./list-events";

export interface EventDetailRow extends ListedEventRow {
  raw_body: string;
  request_url: string;
  duplicates: number;
  attempts: number;
  seen_at: string | null;
  enqueue_failed_at: string | null;
  updated_at: string;
}

export interface AttemptRow {
  /** The destination's id; null on a replay to every destination. */
  destination_id: string | null;
  attempted_at: string;
  kind: string;
  http_status: number | null;
  error: string | null;
  duration_ms: number | null;
}

export interface DeliveryRow {
  destination_id: string;
  state: number;
  attempts: number;
}

/**
 * One event with its raw body, its deliveries (one per destination it matched; none dropped) and
 * its whole history (forward attempts, replays, dead-lettering), each with its destination.
 */
export async function getEventDetail(
  db: D1Database,
  id: string,
): Promise<{ row: EventDetailRow; history: AttemptRow[]; deliveries: DeliveryRow[] } | null> {
  const [events, attempts, deliveries] = await db.batch([
    db
      .prepare(
        `SELECT seq, state, ${EVENT_COLUMNS}, request_url, duplicates, attempts, seen_at,
           enqueue_failed_at, updated_at
         FROM events WHERE id = ?1`,
      )
      .bind(id),
    db
      .prepare(
        `SELECT s.id AS destination_id, a.attempted_at, a.kind, a.http_status, a.error, a.duration_ms
         FROM event_attempts a LEFT JOIN destinations s ON s.no = a.destination_no
         WHERE a.event_id = ?1 ORDER BY a.id`,
      )
      .bind(id),
    db
      .prepare(
        `SELECT s.id AS destination_id, d.state, d.attempts FROM events e
         JOIN deliveries d ON d.event_seq = e.seq JOIN destinations s ON s.no = d.destination_no
         WHERE e.id = ?1 AND d.state <> ${STATE_CODE.dropped} ORDER BY d.destination_no`,
      )
      .bind(id),
  ]);
  const row = events?.results[0] as EventDetailRow | undefined;
  if (!row) return null;
  return {
    row: { ...row, raw_body: undecodableText(row.id, row.raw_body) },
    history: (attempts?.results ?? []) as AttemptRow[],
    deliveries: (deliveries?.results ?? []) as DeliveryRow[],
  };
}
