import { OWED_CODES_SQL, OWES_DELIVERY_SQL, STATE_CODE } from "../../delivery/delivery-state";

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
  status: number;
  n: number;
  first: string;
}

/**
 * 401 and 403 answers per carrier in the counter hours from the one holding `since` on, for carriers none of
 * whose requests became an event since then (events_carrier_received). Requests to unknown
 * paths count under `unknown`, which is no carrier to alert about.
 */
export function rejectedSendersQuery(db: D1Database, since: Date): D1PreparedStatement {
  const sinceIso = since.toISOString();
  // Counter rows are keyed `2026-11-23T06:00:00Z`; events' times carry milliseconds.
  const sinceHour = `${sinceIso.slice(0, 13)}:00:00Z`;
  return db
    .prepare(
      `SELECT r.carrier, r.status, sum(r.count) AS n, min(r.hour) AS first FROM rejections r
       WHERE r.hour >= ?1 AND r.status IN (401, 403) AND r.carrier <> 'unknown'
         AND NOT EXISTS (SELECT 1 FROM events e WHERE e.carrier = r.carrier AND e.received_at >= ?2)
       GROUP BY r.carrier, r.status`,
    )
    .bind(sinceHour, `${sinceIso.slice(0, 13)}:00:00.000Z`);
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
}

/**
 * Destinations that are down or refusing (not paused, not deleted), with how many deliveries they
 * hold (a range of deliveries_owed each).
 */
export function unhealthyDestinationsQuery(db: D1Database): D1PreparedStatement {
  return db.prepare(
    `SELECT s.id AS destination, s.health, s.down_since AS since, s.last_failure_status AS status,
       (SELECT count(*) FROM deliveries
          WHERE destination_no = s.no AND state = ${STATE_CODE.held} AND state IN ${OWED_CODES_SQL}) AS held
     FROM destinations s WHERE s.deleted_at IS NULL AND s.paused = 0 AND s.health <> 'up'`,
  );
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
