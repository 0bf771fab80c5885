/** A destination's health and switches as D1 holds them (destinations' health columns, 0006). */
export interface DestinationHealth {
  no: number;
  id: string;
  paused: boolean;
  deleted: boolean;
  health: "up" | "down" | "refusing";
  failures: number;
  refusals: number;
  refused_seq: number | null;
  probe_after: string | null;
  last_failure_status: number | null;
  /** What keeps the consumer from sending there at all (0012), null when nothing does. */
  fault: DestinationFault | null;
  /** Row 1 only: whether the Hono app has FORWARD_URL, as its cron last wrote it (null: not yet). */
  app_forward_url: boolean | null;
}

/**
 * A fault of the whole destination on the consumer's side: nothing can be sent there, whatever
 * the event. The destination is `refusing` with it, its deliveries are held (no attempt spent),
 * and only a 2xx (the catch-up's probe, once the fault is gone) clears it.
 */
export type DestinationFault = "no_signing_key" | "no_forward_url";

export const FAULT_TEXT: Record<DestinationFault, string> = {
  no_signing_key:
    "the consumer Worker has no usable signing key for it (DESTINATIONS_KEY unset or not the one its secret was sealed with, or FORWARD_SIGNING_SECRET unset): nothing is sent",
  no_forward_url: "FORWARD_URL is not set on the consumer Worker while the Hono app has it: nothing is sent to default",
};

interface HealthRow extends Omit<DestinationHealth, "paused" | "deleted" | "app_forward_url"> {
  paused: number;
  deleted: number;
  app_forward_url: number | null;
}

/** Every destination's health (a handful of rows), deleted ones included. */
export function readHealth(db: D1Database): D1PreparedStatement {
  return db.prepare(
    `SELECT no, id, paused, deleted_at IS NOT NULL AS deleted, health, failures, refusals, refused_seq, probe_after,
       last_failure_status, fault, app_forward_url
     FROM destinations`,
  );
}

export function toHealth(rows: readonly unknown[]): Map<number, DestinationHealth> {
  return new Map(
    (rows as HealthRow[]).map(
      (r) =>
        [
          r.no,
          {
            ...r,
            paused: r.paused === 1,
            deleted: r.deleted === 1,
            app_forward_url: r.app_forward_url === null ? null : r.app_forward_url === 1,
          },
        ] as const,
    ),
  );
}

/** What a batch of forwards tells about one destination, in the order they finished. */
export interface HealthReport {
  no: number;
  /** A 2xx came: the streaks restart from the forwards after the last one. */
  reset: boolean;
  failures: number;
  refusals: number;
  /** The first event refused after the last reset (a repeat of the stored refused_seq is not counted again). */
  first_refused: number | null;
  last_refused: number | null;
  success_at: string | null;
  failure_at: string | null;
  failure_status: number | null;
  failure_error: string | null;
  /** `Retry-After` of a 429 or 503: no probe before this time. */
  probe_after: string | null;
  /** Nothing could be sent there at all (no key, no URL): `refusing` at once, with why. */
  fault: DestinationFault | null;
}

/**
 * Adds each destination's batch report to its streaks, atomically (concurrent consumer invocations
 * add up), and sets its health from them: down at `holdAfter` failures, refusing at `refuseAfter`
 * refusals of different events, or at once on a fault of the whole destination (no key, no URL), up
 * again only after a 2xx (which also clears the fault). One statement for every destination.
 */
export function recordHealth(
  db: D1Database,
  reports: readonly HealthReport[],
  holdAfter: number,
  refuseAfter: number,
  at: string,
): D1PreparedStatement {
  const failures = "(CASE WHEN r.reset THEN r.failures ELSE destinations.failures + r.failures END)";
  const refusals = `(CASE WHEN r.reset THEN r.refusals
      ELSE destinations.refusals + r.refusals - (r.first_refused IS NOT NULL AND r.first_refused IS destinations.refused_seq) END)`;
  const health = `(CASE WHEN r.fault IS NOT NULL THEN 'refusing' WHEN ${failures} >= ?2 THEN 'down'
      WHEN ${refusals} >= ?3 THEN 'refusing' WHEN r.reset THEN 'up' ELSE destinations.health END)`;
  const col = (name: string) => `json_extract(value, '$.${name}') AS ${name}`;
  return db
    .prepare(
      `UPDATE destinations SET
         failures = ${failures},
         refusals = ${refusals},
         refused_seq = CASE WHEN r.last_refused IS NOT NULL THEN r.last_refused WHEN r.reset THEN NULL ELSE destinations.refused_seq END,
         health = ${health},
         down_since = CASE WHEN ${health} <> 'up' THEN coalesce(destinations.down_since, ?4) ELSE NULL END,
         probe_after = CASE WHEN r.probe_after IS NOT NULL THEN r.probe_after WHEN r.reset THEN NULL ELSE destinations.probe_after END,
         last_success_at = coalesce(r.success_at, destinations.last_success_at),
         last_failure_at = coalesce(r.failure_at, destinations.last_failure_at),
         last_failure_status = CASE WHEN r.failure_at IS NOT NULL THEN r.failure_status ELSE destinations.last_failure_status END,
         last_failure_error = CASE WHEN r.failure_at IS NOT NULL THEN r.failure_error ELSE destinations.last_failure_error END,
         fault = CASE WHEN r.fault IS NOT NULL THEN r.fault WHEN r.reset THEN NULL ELSE destinations.fault END
       FROM (SELECT ${["no", "reset", "failures", "refusals", "first_refused", "last_refused", "success_at", "failure_at", "failure_status", "failure_error", "probe_after", "fault"].map(col).join(", ")}
             FROM json_each(?1)) AS r
       WHERE destinations.no = r.no`,
    )
    .bind(JSON.stringify(reports), holdAfter, refuseAfter, at);
}

/** The catch-up's probe went out: the next one waits at least until `until` (or its Retry-After, if later). */
export function delayProbe(db: D1Database, no: number, until: string): D1PreparedStatement {
  return db
    .prepare("UPDATE destinations SET probe_after = max(coalesce(probe_after, ''), ?2) WHERE no = ?1")
    .bind(no, until);
}

/**
 * The Hono app's cron: records whether it has FORWARD_URL on `default`'s row, so a consumer
 * without it can tell forwarding turned off on both Workers (drop) from drift (hold).
 */
export function recordAppForwarding(db: D1Database, forwardUrlSet: boolean): D1PreparedStatement {
  return db
    .prepare("UPDATE destinations SET app_forward_url = ?1 WHERE no = 1 AND app_forward_url IS NOT ?1")
    .bind(forwardUrlSet ? 1 : 0);
}
