import { OWES_DELIVERY_SQL, STATE_CODE } from "../../delivery/delivery-state";

// The condition queries of the alert check, each a prepared statement so that checkAlerts runs
// them (and the throttle read) in one batch. Each reads an index range, never the whole table.

export interface DeadRow {
  carrier: string;
  n: number;
  first: string;
}

/**
 * Events that went dead since `since` and after the last events_dead alert for their carrier (a
 * range of the partial index events_dead_updated, migrations/0005).
 */
// INDEXED BY: without statistics SQLite prefers events_state_received (state = 'dead' is an
// equality on its first column), which walks every dead event kept.
export const DEAD_EVENTS_SQL = `SELECT e.carrier, count(*) AS n, min(e.updated_at) AS first
  FROM events e INDEXED BY events_dead_updated
  LEFT JOIN alerts_sent a ON a.alert = 'events_dead' AND a.carrier = e.carrier
  WHERE e.state = 'dead' AND e.updated_at >= ?1 AND e.updated_at > coalesce(a.sent_at, '')
  GROUP BY e.carrier`;

export function deadEventsQuery(db: D1Database, since: string): D1PreparedStatement {
  return db.prepare(DEAD_EVENTS_SQL).bind(since);
}

export interface RejectedRow {
  carrier: string;
  unauthorized: number;
  forbidden: number;
  first_at: string;
  last_at: string;
}

/**
 * Each carrier's run of 10 or more refused requests (401/403) since its last accepted one, still
 * going within the window (its latest refusal at or after `since`), unless the carrier had a request
 * accepted after that refusal. A range of the partial index rejection_runs_alerting (only runs long
 * enough to alert on are in it), then one probe of events_carrier_received per run found. The runs
 * are kept by the counter flush (src/rejections/), so a refusal reaches this query within
 * REJECTION_FLUSH_MS. Pseudo-carriers (`unknown`, `operator`) never have a run.
 */
export const REJECTED_RUNS_SQL = `SELECT r.carrier, r.unauthorized, r.forbidden, r.first_at, r.last_at
  FROM rejection_runs r INDEXED BY rejection_runs_alerting
  WHERE r.unauthorized + r.forbidden >= 10 AND r.last_at >= ?1
    AND NOT EXISTS (SELECT 1 FROM events e WHERE e.carrier = r.carrier AND e.received_at > r.last_at)`;

export function rejectedRunsQuery(db: D1Database, since: Date): D1PreparedStatement {
  return db.prepare(REJECTED_RUNS_SQL).bind(since.toISOString());
}

export interface LastEventRow {
  carrier: string;
  last: string | null;
}

/** Each carrier's newest `received_at` (null: it never sent): one index lookup per carrier. */
export const LAST_EVENTS_SQL = `SELECT c.value AS carrier,
  (SELECT max(received_at) FROM events WHERE carrier = c.value) AS last FROM json_each(?1) c`;

export function lastEventsQuery(db: D1Database, carriers: readonly string[]): D1PreparedStatement {
  return db.prepare(LAST_EVENTS_SQL).bind(JSON.stringify(carriers));
}

export interface StalledRow {
  waiting: number;
  waiting_since: string | null;
}

/**
 * Events owing a delivery that the consumer has not seen although they were received or last sent
 * to the queue before `cutoff` (events_unseen).
 */
export function stalledDeliveryQuery(db: D1Database, cutoff: string): D1PreparedStatement {
  const waiting = `FROM events WHERE seen_at IS NULL AND received_at < ?1 AND coalesce(swept_at, '') < ?1
    AND state IN ${OWES_DELIVERY_SQL}`;
  return db
    .prepare(`SELECT (SELECT count(*) ${waiting}) AS waiting, (SELECT min(received_at) ${waiting}) AS waiting_since`)
    .bind(cutoff);
}

export interface DestinationRow {
  destination: string;
  health: "down" | "refusing";
  /** When it went down or started refusing. */
  since: string | null;
  /** The last refusal's (or failure's) HTTP status. */
  status: number | null;
  held: number;
  /** A fault of the whole destination on our side (no signing key, no FORWARD_URL), with its text. */
  fault: string | null;
  error: string | null;
}

/**
 * Destinations that are down or refusing (not paused, not deleted), with how many deliveries they
 * hold (one primary-key lookup of delivery_counts each, migrations/0013: the same cost however
 * many are held).
 */
export const UNHEALTHY_DESTINATIONS_SQL = `SELECT s.id AS destination, s.health, s.down_since AS since,
    s.last_failure_status AS status, s.fault,
    s.last_failure_error AS error, coalesce(c.n, 0) AS held
  FROM destinations s LEFT JOIN delivery_counts c ON c.destination_no = s.no AND c.state = ${STATE_CODE.held}
  WHERE s.deleted_at IS NULL AND s.paused = 0 AND s.health <> 'up'`;

export function unhealthyDestinationsQuery(db: D1Database): D1PreparedStatement {
  return db.prepare(UNHEALTHY_DESTINATIONS_SQL);
}

export interface SentRow {
  alert: string;
  carrier: string;
  sent_at: string;
  since: string;
}

export function alertsSentQuery(db: D1Database): D1PreparedStatement {
  return db.prepare("SELECT alert, carrier, sent_at, since FROM alerts_sent");
}

export interface Claim {
  alert: string;
  /** '' for a condition of the whole deployment. */
  carrier: string;
  since: string;
  count: number;
}

/**
 * Records the alerts about to be sent, each only if its last one is older than `sentBefore`: the
 * ones returned are this run's to send (two overlapping cron runs cannot both send one).
 */
export async function claimAlerts(db: D1Database, claims: Claim[], at: string, sentBefore: string): Promise<Claim[]> {
  if (claims.length === 0) return [];
  const { results } = await db
    .prepare(
      `INSERT INTO alerts_sent (alert, carrier, sent_at, since, count)
       SELECT json_extract(value, '$.alert'), json_extract(value, '$.carrier'), ?2,
              json_extract(value, '$.since'), json_extract(value, '$.count')
       FROM json_each(?1) WHERE true
       ON CONFLICT (alert, carrier) DO UPDATE
         SET sent_at = excluded.sent_at, since = excluded.since, count = excluded.count
         WHERE alerts_sent.sent_at < ?3
       RETURNING alert, carrier, since, count`,
    )
    .bind(JSON.stringify(claims), at, sentBefore)
    .all<Claim>();
  return results;
}

/** Alerts whose POST failed: their claim is undone so the next run (a minute later) tries again. */
export async function releaseAlerts(db: D1Database, claims: Claim[]): Promise<void> {
  if (claims.length === 0) return;
  await db
    .prepare(
      `UPDATE alerts_sent SET sent_at = ''
       WHERE (alert, carrier) IN (SELECT json_extract(value, '$.alert'), json_extract(value, '$.carrier')
                                  FROM json_each(?1))`,
    )
    .bind(JSON.stringify(claims))
    .run();
}
