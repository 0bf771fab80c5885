import { EVENT_COLUMNS } from "../../db/row-to-event";
import { undecodableText } from "../../db/try-decode";
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
  attempted_at: string;
  kind: string;
  http_status: number | null;
  error: string | null;
  duration_ms: number | null;
}

/** One event with its raw body and its whole history (forward attempts, replays, dead-lettering). */
export async function getEventDetail(
  db: D1Database,
  id: string,
): Promise<{ row: EventDetailRow; history: AttemptRow[] } | null> {
  const [events, attempts] = await db.batch([
    db
      .prepare(
        `SELECT seq, state, ${EVENT_COLUMNS}, request_url, duplicates, attempts, seen_at,
           enqueue_failed_at, updated_at
         FROM events WHERE id = ?1`,
      )
      .bind(id),
    db
      .prepare(
        `SELECT attempted_at, kind, http_status, error, duration_ms FROM event_attempts
         WHERE event_id = ?1 ORDER BY id`,
      )
      .bind(id),
  ]);
  const row = events?.results[0] as EventDetailRow | undefined;
  if (!row) return null;
  return {
    row: { ...row, raw_body: undecodableText(row.id, row.raw_body) },
    history: (attempts?.results ?? []) as AttemptRow[],
  };
}
