// The pull sources' state (migrations/0015_pull_sources.sql): two statements per cron run (claim
// all due sources at once, then one finish per source run) and one read for /health and /metrics.

export interface ClaimedSource {
  carrier: string;
  cursor: string | null;
  failures: number;
}

/**
 * Claims every source of `carriers` that is due (`next_at` passed) and not held by another run
 * (its lease passed), holding it until `leaseUntil`; returns those claimed. A source never run gets
 * its row here. One statement whatever the number of sources, so two overlapping cron runs cannot
 * both read one journal.
 */
export async function claimPullSources(
  db: D1Database,
  carriers: readonly string[],
  now: number,
  leaseUntil: number,
): Promise<ClaimedSource[]> {
  if (carriers.length === 0) return [];
  const { results } = await db
    .prepare(
      `INSERT INTO pull_sources (carrier, lease_until)
       SELECT value, ?3 FROM json_each(?1) WHERE true
       ON CONFLICT (carrier) DO UPDATE SET lease_until = ?3
         WHERE pull_sources.next_at <= ?2 AND pull_sources.lease_until <= ?2
       RETURNING carrier, cursor, failures`,
    )
    .bind(JSON.stringify(carriers), now, leaseUntil)
    .all<ClaimedSource>();
  return results;
}

export interface PullRunResult {
  carrier: string;
  at: number;
  nextAt: number;
  /** The cursor to keep: the last acknowledged page's (unchanged when none was). */
  cursor: string | null;
  failure: { kind: "unreachable" | "refused" | "storage"; message: string } | null;
  stored: number;
  duplicates: number;
  quarantined: number;
  pages: number;
}

/** Ends a run: releases the lease, sets the next run, counts, and keeps or clears the failure. */
export async function finishPullRun(db: D1Database, r: PullRunResult): Promise<void> {
  await db
    .prepare(
      `UPDATE pull_sources SET lease_until = 0, next_at = ?2, cursor = ?3, last_run_at = ?4,
         failures = CASE WHEN ?5 IS NULL THEN 0 ELSE failures + 1 END,
         last_ok_at = CASE WHEN ?5 IS NULL THEN ?4 ELSE last_ok_at END,
         last_failure = ?5, last_error = ?6,
         stored = stored + ?7, duplicates = duplicates + ?8, quarantined = quarantined + ?9, pages = pages + ?10
       WHERE carrier = ?1`,
    )
    .bind(
      r.carrier,
      r.nextAt,
      r.cursor,
      r.at,
      r.failure?.kind ?? null,
      r.failure?.message ?? null,
      r.stored,
      r.duplicates,
      r.quarantined,
      r.pages,
    )
    .run();
}

export interface PullStateRow {
  carrier: string;
  next_at: number;
  failures: number;
  last_run_at: number | null;
  last_ok_at: number | null;
  last_failure: string | null;
  last_error: string | null;
  stored: number;
  duplicates: number;
  quarantined: number;
  pages: number;
}

/** Every pull source's row (a handful: one per registered pull source). */
export const PULL_STATE_SQL = `SELECT carrier, next_at, failures, last_run_at, last_ok_at, last_failure, last_error,
  stored, duplicates, quarantined, pages FROM pull_sources`;

export function pullStateQuery(db: D1Database): D1PreparedStatement {
  return db.prepare(PULL_STATE_SQL);
}
