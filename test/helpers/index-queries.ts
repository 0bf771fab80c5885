// Every index of events, shipments, deliveries and event_attempts, with the queries (the project's
// own query functions, captured rather than run) it serves and the plan it gives them. Shared by
// test/index-plans.test.ts (the plans, with the index and after DROP INDEX) and
// bench/node/index-costs.ts (their time, with and without). docs/schema.md has the table.
import { DEAD_EVENTS_SQL, LAST_EVENTS_SQL, unhealthyDestinationsQuery } from "../../src/alerts/db/alert-queries";
import type { CarrierName } from "../../src/carriers";
import { countDeliveries } from "../../src/delivery/db/count-deliveries";
import {
  countHeld,
  countToDropForDeleted,
  dropDeleted,
  selectHeld,
  selectProbe,
} from "../../src/delivery/db/held-deliveries";
import { selectStalled } from "../../src/delivery/db/select-stalled";
import { countOutstanding, selectUnqueued } from "../../src/delivery/db/select-unqueued";
import { deliveryStateMetrics, destinationMetrics } from "../../src/metrics/db/metric-sources";
import { listDestinationEventsSql } from "../../src/operator/db/list-destination-events";
import { listEventsSql } from "../../src/operator/db/list-events";
import { listShipmentsSql } from "../../src/operator/db/list-shipments";
import type { EventFilter, ShipmentFilter } from "../../src/operator/query-schemas";
import { EXPIRED_WINDOW_SQL } from "../../src/retention/db/delete-expired-events";
import { EXPIRED_SHIPMENTS } from "../../src/retention/db/delete-expired-records";

export interface IndexCase {
  /** The query function and the case. */
  query: string;
  sql: string;
  params: unknown[];
  /** What the plan says while the index is there. */
  uses: RegExp;
}

/** A statement a query function builds (they take a D1Database), captured instead of run. */
const capture = {
  prepare: (sql: string) => ({ sql, params: [], bind: (...params: unknown[]) => ({ sql, params }) }),
} as unknown as D1Database;
const captured = (s: unknown) => s as { sql: string; params: unknown[] };
/** The statement an async query function runs (prepare, bind, then all/first/run), captured instead of run. */
async function capturedRun(run: (db: D1Database) => Promise<unknown>): Promise<{ sql: string; params: unknown[] }> {
  let seen = { sql: "", params: [] as unknown[] };
  const statement = (sql: string, params: unknown[]) => {
    seen = { sql, params };
    const answer = async () => ({ results: [], meta: {} });
    return { bind: (...p: unknown[]) => statement(sql, p), all: answer, run: answer, first: async () => null };
  };
  await run({ prepare: (sql: string) => statement(sql, []) } as unknown as D1Database);
  return seen;
}

export function indexCases(opts: {
  now: Date;
  carriers: readonly string[];
  trackingNumber: string;
}): Record<string, IndexCase[]> {
  const now = opts.now;
  const day = new Date(now.getTime() - 86_400_000).toISOString();
  const cutoff = new Date(now.getTime() - 30 * 86_400_000).toISOString();
  const carrier = opts.carriers[0] as CarrierName;
  const list = (filter: EventFilter) => listEventsSql(filter, { limit: 51 });
  const shipments = (filter: ShipmentFilter) => listShipmentsSql(filter, { limit: 51 }, now);
  return {
    events_received: [
      { query: "listEvents {}", ...list({}), uses: /SCAN events USING INDEX events_received/ },
      {
        query: "listEvents {status: in_transit} (a common status, not in events_status_received)",
        ...list({ status: "in_transit" }),
        uses: /SCAN events USING INDEX events_received/,
      },
      {
        query: "listEvents {since, until}",
        ...list({ since: cutoff, until: day }),
        uses: /SEARCH events USING INDEX events_received/,
      },
      {
        query: "countSince (stats)",
        sql: "SELECT carrier, type, status, state, count(*) AS n FROM events WHERE received_at >= ?1 GROUP BY carrier, type, status, state",
        params: [day],
        uses: /SEARCH events USING INDEX events_received/,
      },
      {
        query: "retention window (its bound)",
        sql: EXPIRED_WINDOW_SQL,
        params: [cutoff, 1000],
        uses: /COVERING INDEX events_received/,
      },
    ],
    events_carrier_received: [
      { query: "listEvents {carrier}", ...list({ carrier }), uses: /INDEX events_carrier_received/ },
      {
        query: "lastEvents (carrier_silent alert)",
        sql: LAST_EVENTS_SQL,
        params: [JSON.stringify(opts.carriers)],
        uses: /COVERING INDEX events_carrier_received/,
      },
    ],
    events_type_received: [
      {
        query: "listEvents {type: label.created}",
        ...list({ type: "label.created" }),
        uses: /INDEX events_type_received/,
      },
      { query: "listEvents {type: rare}", ...list({ type: "label.cancelled" }), uses: /INDEX events_type_received/ },
    ],
    events_status_received: [
      {
        query: "listEvents {status: delivery_failed}",
        ...list({ status: "delivery_failed" }),
        uses: /INDEX events_status_received/,
      },
      { query: "listEvents {status: rare}", ...list({ status: "on_hold" }), uses: /INDEX events_status_received/ },
    ],
    events_tracking: [
      {
        query: "listEvents {tracking_number}",
        ...list({ tracking_number: opts.trackingNumber }),
        uses: /INDEX events_tracking \(tracking_number=\?\)/,
      },
      {
        query: "getShipment timeline",
        sql: "SELECT seq FROM events WHERE tracking_number = ?1 AND (?2 IS NULL OR carrier = ?2) ORDER BY occurred_at, id LIMIT 1000",
        params: [opts.trackingNumber, null],
        uses: /INDEX events_tracking \(tracking_number=\?\)/,
      },
    ],
    events_state_received: [
      { query: "listEvents {state: dead}", ...list({ state: "dead" }), uses: /INDEX events_state_received/ },
      { query: "listEvents {state: retrying}", ...list({ state: "retrying" }), uses: /INDEX events_state_received/ },
      {
        query: "deliveryStateMetrics (/metrics)",
        ...captured(deliveryStateMetrics(capture).statement),
        uses: /INDEX events_state_received/,
      },
    ],
    events_unseen: [
      {
        query: "selectUnqueued (sweep)",
        ...captured(selectUnqueued(capture, now, 300, 100)),
        uses: /INDEX events_unseen/,
      },
      {
        query: "countOutstanding (sweep budget)",
        ...captured(countOutstanding(capture, now, 600, 500)),
        uses: /INDEX events_unseen/,
      },
    ],
    events_dead_updated: [
      {
        query: "deadEvents (events_dead alert, INDEXED BY)",
        sql: DEAD_EVENTS_SQL,
        params: [day],
        uses: /INDEX events_dead_updated/,
      },
    ],
    shipments_last_event: [
      {
        query: "listShipments {}",
        ...shipments({}),
        uses: /SCAN shipments USING (COVERING )?INDEX shipments_last_event/,
      },
      {
        query: "listShipments {status: delivered} (a common status, not in shipments_status_last_event)",
        ...shipments({ status: ["delivered"] }),
        uses: /SCAN shipments USING INDEX shipments_last_event/,
      },
    ],
    shipments_carrier_last_event: [
      { query: "listShipments {carrier}", ...shipments({ carrier }), uses: /INDEX shipments_carrier_last_event/ },
    ],
    shipments_status_last_event: [
      {
        query: "listShipments {status: one}",
        ...shipments({ status: ["on_hold"] }),
        uses: /INDEX shipments_status_last_event/,
      },
    ],
    shipments_open_last_event: [
      {
        query: "listShipments {quiet_for_hours}",
        ...shipments({ quiet_for_hours: 72 }),
        uses: /INDEX shipments_open_last_event/,
      },
    ],
    shipments_updated: [
      {
        query: "listShipments {updated_since} (INDEXED BY)",
        ...shipments({ updated_since: day }),
        uses: /INDEX shipments_updated/,
      },
      {
        query: "retention: shipments not heard of since the cutoff whose last event is gone",
        sql: EXPIRED_SHIPMENTS,
        params: [Date.parse(cutoff), 1000], // Unix ms (migrations/0011)
        uses: /SEARCH s USING INDEX shipments_updated \(updated_at<\?\)/,
      },
    ],
    deliveries_owed: [
      { query: "selectHeld (catch-up)", ...captured(selectHeld(capture, 1, 100)), uses: /INDEX deliveries_owed\b/ },
      {
        query: "dropDeleted: the drop (catch-up)",
        ...captured(dropDeleted(capture, now.toISOString())[0]),
        uses: /INDEX deliveries_owed\b/,
      },
    ],
    deliveries_held_moved: [
      {
        query: "selectProbe (catch-up)",
        ...captured(selectProbe(capture, 1)),
        uses: /SEARCH d USING INDEX deliveries_held_moved \(destination_no=\?\)/,
      },
    ],
    deliveries_dropped: [
      {
        query: "dropDeleted: the events it dropped (catch-up)",
        ...captured(dropDeleted(capture, now.toISOString())[2]),
        uses: /INDEX deliveries_dropped \(destination_no=\? AND updated_at=\?\)/,
      },
    ],
    deliveries_owed_moved: [
      {
        query: "selectStalled (sweep)",
        ...captured(selectStalled(capture, now, 600, 100)),
        uses: /INDEX deliveries_owed_moved/,
      },
    ],
    deliveries_unsettled: [
      {
        query: "replay to one destination {state: dead}",
        ...listDestinationEventsSql({ state: "dead" }, 2, { limit: 51 }),
        uses: /INDEX deliveries_unsettled \(destination_no=\? AND state=\?\)/,
      },
      {
        query: "replay to one destination {state: retrying, carrier}",
        ...listDestinationEventsSql({ state: "retrying", carrier }, 2, { limit: 51 }),
        uses: /INDEX deliveries_unsettled \(destination_no=\? AND state=\?\)/,
      },
      {
        query: "dropDeleted: the drop of the dead (catch-up)",
        ...captured(dropDeleted(capture, now.toISOString())[1]),
        uses: /INDEX deliveries_unsettled \(destination_no=\? AND state=\?\)/,
      },
    ],
    event_attempts_event: [
      {
        query: "retention: a window's attempts",
        sql: "DELETE FROM event_attempts WHERE event_seq IN (SELECT value FROM json_each(?1))",
        params: ["[1,2,3]"],
        uses: /INDEX event_attempts_event \(event_seq=\?\)/,
      },
      {
        query: "getEventDetail history",
        sql: "SELECT attempted_at, kind FROM event_attempts WHERE event_seq = (SELECT seq FROM events WHERE id = ?1) ORDER BY id",
        params: ["evt_x"],
        uses: /INDEX event_attempts_event \(event_seq=\?\)/,
      },
    ],
  };
}

export interface SeekCase {
  query: string;
  sql: string;
  params: unknown[];
  /** The only tables the plan may SCAN (by name or alias): the destinations, a row per destination. */
  scans: string[];
  /** The seek, keyed by the destination: what makes its cost that destination's rows, not the table's. */
  seeks: RegExp;
}

/**
 * The queries of issue 18's item 7, each the SQL its function runs: reads of a destination's
 * deliveries that must be seeks (an index range or a primary-key lookup), never a SCAN of
 * deliveries or events, whatever their number. Shared by test/index-plans.test.ts and
 * bench/node/index-costs.ts (their time at two table sizes).
 */
export async function seekCases(opts: { now: Date; carrier: string; no?: number }): Promise<SeekCase[]> {
  const no = opts.no ?? 2;
  const at = opts.now.toISOString();
  const destinations = ["destinations", "s"];
  const byDestination = /\(destination_no=\?/;
  const counts = (alias: string, key: string) =>
    new RegExp(`SEARCH ${alias} USING PRIMARY KEY \\(${key.replace(/[?]/g, "\\?")}\\)`);
  // A page of a replay by state reads that destination's range newest first and stops: no sort.
  const replay = (filter: EventFilter, cursor?: { at: string; key: string }) => ({
    query: `replay to one destination ${JSON.stringify(filter)}${cursor ? " after a cursor" : ""}`,
    ...listDestinationEventsSql(filter, no, { limit: 51, cursor }),
    scans: [],
    seeks:
      /^SEARCH d USING COVERING INDEX deliveries_unsettled \(destination_no=\? AND state=\?( AND event_seq<\?)?\); SEARCH events USING INTEGER PRIMARY KEY \(rowid=\?\)$/,
  });
  return [
    {
      query: "countDeliveries (destinations page and API)",
      ...(await capturedRun(countDeliveries)),
      scans: destinations,
      seeks: counts("c", "destination_no=?"),
    },
    {
      query: "countHeld (catch-up, every minute)",
      ...captured(countHeld(capture)),
      scans: destinations,
      seeks: counts("c", "destination_no=? AND state=?"),
    },
    {
      query: "unhealthyDestinationsQuery (alerts, every minute)",
      ...captured(unhealthyDestinationsQuery(capture)),
      scans: destinations,
      seeks: counts("c", "destination_no=? AND state=?"),
    },
    {
      query: "destinationMetrics (/metrics)",
      ...captured(destinationMetrics(capture).statement),
      scans: ["d"],
      seeks: counts("x", "destination_no=?"),
    },
    { query: "selectProbe (catch-up)", ...captured(selectProbe(capture, no)), scans: [], seeks: byDestination },
    {
      query: "countToDropForDeleted (catch-up)",
      ...captured(countToDropForDeleted(capture)),
      scans: destinations,
      seeks: /SEARCH c EXISTS USING PRIMARY KEY \(destination_no=\? AND state=\?\)/,
    },
    {
      query: "dropDeleted: the drop of the owed",
      ...captured(dropDeleted(capture, at)[0]),
      scans: destinations,
      seeks: /INDEX deliveries_owed \(destination_no=\?/,
    },
    {
      query: "dropDeleted: the drop of the dead",
      ...captured(dropDeleted(capture, at)[1]),
      scans: destinations,
      seeks: /INDEX deliveries_unsettled \(destination_no=\? AND state=\?\)/,
    },
    {
      query: "dropDeleted: the events' list state",
      ...captured(dropDeleted(capture, at)[2]),
      scans: destinations,
      seeks: /\(destination_no=\? AND updated_at=\?\)/,
    },
    replay({ state: "dead" }),
    replay({ state: "held" }),
    replay({ state: "queued", carrier: opts.carrier as CarrierName }),
    replay({ state: "stored" }),
    replay({ state: "dead", since: at }, { at, key: "1000" }),
  ];
}
