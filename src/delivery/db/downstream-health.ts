/** The downstream's health as D1 keeps it (migrations/0004_downstream.sql: one row). */
export interface DownstreamHealth {
  /** Failed forwards in a row, across batches and invocations. */
  failures: number;
  /** When it was found down; null while it is up. */
  down_since: string | null;
}

export function readDownstream(db: D1Database): D1PreparedStatement {
  return db.prepare("SELECT failures, down_since FROM downstream WHERE id = 1");
}

/** What a batch of forwards tells about the downstream (see `downstreamAfter`). */
export interface DownstreamReport {
  /** Some forward got an answer that proves the downstream is up (2xx or a refusal). */
  reset: boolean;
  /** Failures counted after the last reset (all of them when there was none). */
  failures: number;
}

/**
 * Adds a batch's failures to the streak (or restarts it after an answer), atomically, so
 * concurrent consumer invocations add up. The streak reaching `holdAfter` marks the downstream
 * down; an answer while below it marks it up again.
 */
export function recordDownstream(
  db: D1Database,
  report: DownstreamReport,
  holdAfter: number,
  at: string,
): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE downstream SET
         failures = CASE WHEN ?1 THEN ?2 ELSE failures + ?2 END,
         down_since = CASE
           WHEN (CASE WHEN ?1 THEN ?2 ELSE failures + ?2 END) >= ?3 THEN coalesce(down_since, ?4)
           WHEN ?1 THEN NULL
           ELSE down_since END,
         updated_at = ?4
       WHERE id = 1`,
    )
    .bind(report.reset ? 1 : 0, report.failures, holdAfter, at);
}

/** The probe answered 2xx: the downstream is up, its streak starts again. */
export function markDownstreamUp(db: D1Database, at: string): D1PreparedStatement {
  return db.prepare("UPDATE downstream SET failures = 0, down_since = NULL, updated_at = ?1 WHERE id = 1").bind(at);
}
