/** One hour, carrier and answer of rejected webhook requests, and how many there were. */
export interface RejectionCount {
  /** `2026-11-23T06:00:00Z` */
  hour: string;
  carrier: string;
  status: number;
  code: string;
  count: number;
}

/** Requests of one carrier, outcome and answer (monotonic, for /metrics). */
export interface RequestTotal {
  carrier: string;
  outcome: string;
  status: number;
  /** '' when accepted. */
  code: string;
  count: number;
}

/** A carrier's refused (401/403) requests in one flush, and when the first and latest came. */
export interface RefusedRun {
  carrier: string;
  unauthorized: number;
  forbidden: number;
  first_at: string;
  last_at: string;
}

/**
 * Adds a batch of rejection counts to the `rejections` table: one statement whatever the batch's
 * size (the batch is one `json_each` parameter), so a flood of rejected requests costs D1 one
 * write per flush, not one per request.
 */
export function rejectionsStatement(db: D1Database, counts: RejectionCount[]): D1PreparedStatement {
  return db
    .prepare(
      // `WHERE true` lets SQLite tell the upsert's ON CONFLICT from a join condition.
      `INSERT INTO rejections (hour, carrier, status, code, count)
       SELECT json_extract(value, '$.hour'), json_extract(value, '$.carrier'), json_extract(value, '$.status'),
              json_extract(value, '$.code'), json_extract(value, '$.count')
       FROM json_each(?1) WHERE true
       ON CONFLICT (hour, carrier, status, code) DO UPDATE SET count = count + excluded.count`,
    )
    .bind(JSON.stringify(counts));
}

export async function recordRejections(db: D1Database, counts: RejectionCount[]): Promise<void> {
  if (counts.length === 0) return;
  await rejectionsStatement(db, counts).run();
}

/** Adds to the deployment's request totals (migrations/0010), one statement per flush. */
export function requestTotalsStatement(db: D1Database, totals: RequestTotal[]): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO request_totals (carrier, outcome, status, code, count)
       SELECT json_extract(value, '$.carrier'), json_extract(value, '$.outcome'), json_extract(value, '$.status'),
              json_extract(value, '$.code'), json_extract(value, '$.count')
       FROM json_each(?1) WHERE true
       ON CONFLICT (carrier, outcome, status, code) DO UPDATE SET count = count + excluded.count`,
    )
    .bind(JSON.stringify(totals));
}

// A run is over once the carrier has an event received after the run's latest refusal (an
// accepted request): then this flush's refusals start a new run. One probe of
// events_carrier_received per carrier in the flush.
const RUN_ENDED = `EXISTS (SELECT 1 FROM events e
  WHERE e.carrier = rejection_runs.carrier AND e.received_at > rejection_runs.last_at)`;

/**
 * Extends each carrier's run of refused requests (migrations/0010) with this flush's refusals, or
 * starts a new run when the carrier had a request accepted since the run's latest refusal.
 */
export function rejectionRunsStatement(db: D1Database, runs: RefusedRun[]): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO rejection_runs (carrier, unauthorized, forbidden, first_at, last_at)
       SELECT json_extract(value, '$.carrier'), json_extract(value, '$.unauthorized'),
              json_extract(value, '$.forbidden'), json_extract(value, '$.first_at'), json_extract(value, '$.last_at')
       FROM json_each(?1) WHERE true
       ON CONFLICT (carrier) DO UPDATE SET
         unauthorized = iif(${RUN_ENDED}, 0, unauthorized) + excluded.unauthorized,
         forbidden = iif(${RUN_ENDED}, 0, forbidden) + excluded.forbidden,
         first_at = iif(${RUN_ENDED}, excluded.first_at, min(first_at, excluded.first_at)),
         last_at = max(last_at, excluded.last_at)`,
    )
    .bind(JSON.stringify(runs));
}
