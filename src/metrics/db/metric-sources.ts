import { OWES_DELIVERY } from "../../delivery/delivery-state";
import type { MetricFamily } from "../exposition";

/**
 * One statement of the scrape's single D1 batch and how its rows become metric families. Each
 * source reads a bounded set of rows whatever the data size: a small table whose key space is
 * fixed (request_totals, destinations), or an index range over what is owed or dead (never the
 * delivered bulk). test/metrics.test.ts checks every plan.
 */
export interface MetricSource {
  statement: D1PreparedStatement;
  families(rows: unknown[], now: Date): MetricFamily[];
}

const ageSeconds = (at: string, now: Date) => Math.max(0, Math.round((now.getTime() - new Date(at).getTime()) / 1000));

interface TotalRow {
  carrier: string;
  outcome: string;
  status: number;
  code: string;
  count: number;
}

/** Every webhook and operator request since the deployment began (migrations/0010's request_totals). */
export function requestTotalsMetrics(db: D1Database): MetricSource {
  return {
    statement: db.prepare("SELECT carrier, outcome, status, code, count FROM request_totals"),
    families: (rows) => [
      {
        name: "parcelhook_requests_total",
        help: "Requests received, by carrier (or unknown, operator), outcome (accepted, duplicate, quarantined, rejected), HTTP status and error code.",
        type: "counter",
        samples: (rows as TotalRow[]).map((r) => ({
          labels: { carrier: r.carrier, outcome: r.outcome, status: String(r.status), code: r.code },
          value: r.count,
        })),
      },
    ],
  };
}

interface StateRow {
  state: string;
  n: number;
  oldest: string | null;
}

// States counted: those owing a delivery, and dead (kept until replayed or expired). The delivered
// bulk is not counted per scrape: it would read every stored event (parcelhook_requests_total
// {outcome="accepted"} counts them as they come).
const COUNTED_STATES = [...OWES_DELIVERY, "dead"] as const;

/**
 * Events by delivery state, and the oldest event still owing a delivery. Written against events'
 * own `state` (migrations/0001); when delivery becomes per destination, re-point this one function
 * at `deliveries` (its rows and the families it returns stay the same).
 */
export function deliveryStateMetrics(db: D1Database): MetricSource {
  return {
    statement: db.prepare(
      `SELECT state, count(*) AS n, min(received_at) AS oldest FROM events
       WHERE state IN ('queued', 'retrying', 'held', 'dead') GROUP BY state`,
    ),
    families: (rows, now) => {
      const byState = new Map((rows as StateRow[]).map((r) => [r.state, r]));
      const owed = (rows as StateRow[])
        .filter((r) => (OWES_DELIVERY as readonly string[]).includes(r.state) && r.oldest !== null)
        .map((r) => r.oldest as string)
        .sort()[0];
      return [
        {
          name: "parcelhook_events",
          help: "Stored events by delivery state (those owing a delivery, and dead).",
          type: "gauge",
          samples: COUNTED_STATES.map((state) => ({ labels: { state }, value: byState.get(state)?.n ?? 0 })),
        },
        {
          name: "parcelhook_oldest_owed_event_age_seconds",
          help: "Age of the oldest event still owing a delivery (queued, retrying or held); 0 when none is owed.",
          type: "gauge",
          samples: [{ value: owed === undefined ? 0 : ageSeconds(owed, now) }],
        },
      ];
    },
  };
}

interface DestinationRow {
  id: string;
  health: string;
  failures: number;
  last_success_at: string | null;
  state: string | null;
  n: number | null;
}

const HEALTHS = ["up", "down", "refusing"] as const;
const DESTINATION_STATES = ["queued", "retrying", "held", "dead"] as const;

/**
 * Per destination (not deleted): its health, failures in a row, last success, and its deliveries
 * by state except delivered (migrations/0006; the partial index deliveries_unsettled of 0010 holds
 * only deliveries not yet delivered, so this never reads the delivered bulk).
 */
export function destinationMetrics(db: D1Database): MetricSource {
  return {
    statement: db.prepare(
      `SELECT d.id, d.health, d.failures, d.last_success_at, x.state, x.n
       FROM destinations d
       LEFT JOIN (SELECT destination_no, state, count(*) AS n FROM deliveries INDEXED BY deliveries_unsettled
                  WHERE state <> 'delivered' GROUP BY destination_no, state) x ON x.destination_no = d.no
       WHERE d.deleted_at IS NULL ORDER BY d.no`,
    ),
    families: (rows) => {
      const list = rows as DestinationRow[];
      const ids = [...new Set(list.map((r) => r.id))];
      const first = (id: string) => list.find((r) => r.id === id) as DestinationRow;
      const count = (id: string, state: string) => list.find((r) => r.id === id && r.state === state)?.n ?? 0;
      return [
        {
          name: "parcelhook_destination_health",
          help: "1 for a destination's current health (up, down or refusing), 0 for the others.",
          type: "gauge",
          samples: ids.flatMap((id) =>
            HEALTHS.map((health) => ({
              labels: { destination: id, health },
              value: first(id).health === health ? 1 : 0,
            })),
          ),
        },
        {
          name: "parcelhook_destination_failures",
          help: "Failed forwards in a row to a destination (no answer, 5xx, 408, 429).",
          type: "gauge",
          samples: ids.map((id) => ({ labels: { destination: id }, value: first(id).failures })),
        },
        {
          name: "parcelhook_destination_deliveries",
          help: "A destination's deliveries by state (not yet delivered, or dead).",
          type: "gauge",
          samples: ids.flatMap((id) =>
            DESTINATION_STATES.map((state) => ({ labels: { destination: id, state }, value: count(id, state) })),
          ),
        },
        {
          name: "parcelhook_destination_last_success_timestamp_seconds",
          help: "Unix time of a destination's last 2xx (absent before the first).",
          type: "gauge",
          samples: ids
            .filter((id) => first(id).last_success_at !== null)
            .map((id) => ({
              labels: { destination: id },
              value: Math.floor(new Date(first(id).last_success_at as string).getTime() / 1000),
            })),
        },
      ];
    },
  };
}

interface LastRow {
  carrier: string;
  last: string | null;
}

/** The age of each carrier's newest event: one index lookup per carrier (events_carrier_received). */
export function newestEventMetrics(db: D1Database, carriers: readonly string[]): MetricSource {
  return {
    statement: db
      .prepare(
        `SELECT c.value AS carrier, (SELECT max(received_at) FROM events WHERE carrier = c.value) AS last
         FROM json_each(?1) c`,
      )
      .bind(JSON.stringify(carriers)),
    families: (rows, now) => [
      {
        name: "parcelhook_carrier_last_event_age_seconds",
        help: "Seconds since each carrier's newest stored event (absent for a carrier that never sent).",
        type: "gauge",
        samples: (rows as LastRow[])
          .filter((r) => r.last !== null)
          .map((r) => ({ labels: { carrier: r.carrier }, value: ageSeconds(r.last as string, now) })),
      },
    ],
  };
}
