import { OWES_DELIVERY, STATE_CODE, stateOfCode } from "../../delivery/delivery-state";
import type { MetricFamily, Sample } from "../exposition";

/**
 * One statement of the scrape's single D1 batch and how its rows become metric families. Each
 * source reads a bounded set of rows whatever the data size: a small table whose key space is
 * fixed (request_totals, destinations), or an index range over what is owed or dead (never the
 * delivered bulk). test/metrics.test.ts checks every plan. HELP texts are short: docs/metrics.md
 * explains each family.
 */
export interface MetricSource {
  statement: D1PreparedStatement;
  families(rows: unknown[], now: Date): MetricFamily[];
}

const ageSeconds = (at: string, now: Date) => Math.max(0, Math.round((now.getTime() - Date.parse(at)) / 1000));
const gauge = (name: string, help: string, samples: Sample[]): MetricFamily => ({ name, help, type: "gauge", samples });

/** Every webhook and operator request since migration 0010 (request_totals). */
export function requestTotalsMetrics(db: D1Database): MetricSource {
  return {
    statement: db.prepare("SELECT carrier, outcome, status, code, count FROM request_totals"),
    families: (rows) => [
      {
        name: "parcelhook_requests_total",
        help: "Requests by carrier, outcome, HTTP status and error code.",
        type: "counter",
        samples: (rows as { carrier: string; outcome: string; status: number; code: string; count: number }[]).map(
          (r) => ({
            labels: { carrier: r.carrier, outcome: r.outcome, status: String(r.status), code: r.code },
            value: r.count,
          }),
        ),
      },
    ],
  };
}

// States counted: those owing a delivery, and dead. The delivered bulk is not counted per scrape:
// it would read every stored event (parcelhook_requests_total{outcome="accepted"} counts them).
const COUNTED_STATES = [...OWES_DELIVERY, "dead"];

/**
 * Events by delivery state, and the oldest event still owing a delivery. Written against events'
 * own `state` (migrations/0001); when delivery becomes per destination, re-point this one function
 * at `deliveries` (the families it returns stay the same). `state <> 'delivered'` is the partial
 * index events_state_received's WHERE (migrations/0011), spelled so SQLite uses it.
 */
export function deliveryStateMetrics(db: D1Database): MetricSource {
  return {
    statement: db.prepare(
      `SELECT state, count(*) AS n, min(received_at) AS oldest FROM events
       WHERE state IN ('queued', 'retrying', 'held', 'dead') AND state <> 'delivered' GROUP BY state`,
    ),
    families: (rows, now) => {
      const list = rows as { state: string; n: number; oldest: string }[];
      const owed = list.filter((r) => r.state !== "dead").map((r) => r.oldest);
      return [
        gauge(
          "parcelhook_events",
          "Stored events by delivery state.",
          COUNTED_STATES.map((state) => ({ labels: { state }, value: list.find((r) => r.state === state)?.n ?? 0 })),
        ),
        gauge("parcelhook_oldest_owed_event_age_seconds", "Age of the oldest event owing a delivery (0: none).", [
          { value: owed.length === 0 ? 0 : ageSeconds(owed.sort()[0] as string, now) },
        ]),
      ];
    },
  };
}

const HEALTHS = ["up", "down", "refusing"];
const UNSETTLED = ["queued", "retrying", "held", "dead"];

/**
 * Per destination (not deleted): its health, failures in a row, last success, and its deliveries
 * by state except delivered, from delivery_counts (migrations/0013, kept by triggers): a
 * primary-key range per destination, never a read of its deliveries. `state` is a code (STATE_CODE).
 */
export function destinationMetrics(db: D1Database): MetricSource {
  return {
    statement: db.prepare(
      `SELECT d.id, d.health, d.failures, d.last_success_at, x.state, x.n
       FROM destinations d
       LEFT JOIN delivery_counts x ON x.destination_no = d.no AND x.state <> ${STATE_CODE.delivered} AND x.n > 0
       WHERE d.deleted_at IS NULL ORDER BY d.no`,
    ),
    families: (rows) => {
      const list = rows as {
        id: string;
        health: string;
        failures: number;
        last_success_at: string | null;
        state: number | null;
        n: number;
      }[];
      const health: Sample[] = [];
      const failures: Sample[] = [];
      const deliveries: Sample[] = [];
      const success: Sample[] = [];
      for (const d of list.filter((r, i) => list.findIndex((o) => o.id === r.id) === i)) {
        const destination = d.id;
        for (const h of HEALTHS) health.push({ labels: { destination, health: h }, value: d.health === h ? 1 : 0 });
        failures.push({ labels: { destination }, value: d.failures });
        for (const state of UNSETTLED) {
          const n =
            list.find((r) => r.id === destination && r.state !== null && stateOfCode(r.state) === state)?.n ?? 0;
          deliveries.push({ labels: { destination, state }, value: n });
        }
        if (d.last_success_at)
          success.push({ labels: { destination }, value: Math.floor(Date.parse(d.last_success_at) / 1000) });
      }
      return [
        gauge("parcelhook_destination_health", "1 for a destination's current health.", health),
        gauge("parcelhook_destination_failures", "Failed forwards in a row.", failures),
        gauge("parcelhook_destination_deliveries", "Deliveries not yet delivered, by state.", deliveries),
        gauge("parcelhook_destination_last_success_timestamp_seconds", "Unix time of the last 2xx.", success),
      ];
    },
  };
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
      gauge(
        "parcelhook_carrier_last_event_age_seconds",
        "Seconds since the carrier's newest event.",
        (rows as { carrier: string; last: string | null }[])
          .filter((r) => r.last !== null)
          .map((r) => ({ labels: { carrier: r.carrier }, value: ageSeconds(r.last as string, now) })),
      ),
    ],
  };
}
