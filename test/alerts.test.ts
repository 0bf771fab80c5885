import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { checkAlerts } from "../src/alerts";
import {
  claimAlerts,
  DEAD_EVENTS_SQL,
  type DeadRow,
  type DestinationRow,
  deadEventsQuery,
  LAST_EVENTS_SQL,
  type LastEventRow,
  lastEventsQuery,
  REJECTED_RUNS_SQL,
  type RejectedRow,
  rejectedRunsQuery,
  type StalledRow,
  stalledDeliveryQuery,
  unhealthyDestinationsQuery,
} from "../src/alerts/db/alert-queries";
import { type ConditionRows, evaluateAlerts } from "../src/alerts/evaluate-alerts";
import { countRoundTrips } from "../src/consumer/count-round-trips";
import { storeEvent } from "../src/delivery/db/store-event";
import type { DeliveryState } from "../src/delivery/delivery-state";
import { newEventId } from "../src/events/new-event-id";
import type { CarrierName } from "../src/events/normalized-event";
import { rejectionRunsStatement } from "../src/rejections/record-rejections";

// Each condition's query against the real local D1 (rows written with the receiver's own
// storeEvent, rejection counters as the receiver writes them, at chosen times), then the decision made from the rows.
const NOW = new Date("2026-11-23T15:30:00.000Z");
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000).toISOString();

async function event(
  carrier: CarrierName,
  receivedMinutesAgo: number,
  state: DeliveryState,
  extra: { updated?: string; seen?: string | null; swept?: string | null } = {},
): Promise<string> {
  const id = newEventId();
  const receivedAt = minutesAgo(receivedMinutesAgo);
  await storeEvent(env.DB, {
    event: {
      id,
      carrier,
      type: "shipment.status_changed",
      occurred_at: receivedAt,
      received_at: receivedAt,
      tracking_number: null,
      carrier_reference: null,
      status: "in_transit",
      carrier_status: "x",
      reason: null,
      data: {},
    },
    dedupeKey: `${carrier}:${id}`,
    rawBody: "{}",
    requestUrl: `https://parcelhook.test/webhooks/${carrier}`,
  });
  await env.DB.prepare("UPDATE events SET state = ?2, updated_at = ?3, seen_at = ?4, swept_at = ?5 WHERE id = ?1")
    .bind(
      id,
      state,
      extra.updated ?? receivedAt,
      extra.seen === undefined ? receivedAt : extra.seen,
      extra.swept ?? null,
    )
    .run();
  return id;
}

const rows = async <T>(stmt: D1PreparedStatement) => (await stmt.all<T>()).results;

beforeEach(async () => {
  await env.DB.batch(
    ["events", "rejections", "rejection_runs", "alerts_sent"].map((t) => env.DB.prepare(`DELETE FROM ${t}`)),
  );
});

describe("alert condition queries (workerd, real D1)", () => {
  it("events_dead: events that went dead within the hour, per carrier, after the last alert", async () => {
    await event("peddler", 300, "dead", { updated: minutesAgo(10) });
    await event("peddler", 300, "dead", { updated: minutesAgo(40) });
    await event("peddler", 300, "dead", { updated: minutesAgo(70) }); // before the window
    await event("postmen", 5, "dead", { updated: minutesAgo(5) });
    await event("postmen", 5, "delivered", { updated: minutesAgo(5) });
    const since = minutesAgo(60);
    expect(await rows<DeadRow>(deadEventsQuery(env.DB, since))).toEqual(
      expect.arrayContaining([
        { carrier: "peddler", n: 2, first: minutesAgo(40) },
        { carrier: "postmen", n: 1, first: minutesAgo(5) },
      ]),
    );
    // An alert sent 20 minutes ago covered what died before it.
    await env.DB.prepare("INSERT INTO alerts_sent VALUES ('events_dead', 'peddler', ?1, ?1, 1)")
      .bind(minutesAgo(20))
      .run();
    const after = await rows<DeadRow>(deadEventsQuery(env.DB, since));
    expect(after.find((r) => r.carrier === "peddler")).toEqual({ carrier: "peddler", n: 1, first: minutesAgo(10) });
    // Every minute, so it must read the hour's dead events only, not every dead event kept.
    const plan = await env.DB.prepare(`EXPLAIN QUERY PLAN ${DEAD_EVENTS_SQL}`).bind(since).all<{ detail: string }>();
    expect(plan.results.map((r) => r.detail).join("; ")).toMatch(
      /SEARCH e USING INDEX events_dead_updated \(updated_at>\?\)/,
    );
  });

  it("sender_rejected: runs of 10+ refusals still going, none accepted since, by the partial index", async () => {
    const run = (carrier: string, unauthorized: number, forbidden: number, firstAgo: number, lastAgo: number) => ({
      carrier,
      unauthorized,
      forbidden,
      first_at: minutesAgo(firstAgo),
      last_at: minutesAgo(lastAgo),
    });
    await rejectionRunsStatement(env.DB, [
      run("peddler", 12, 0, 6, 5),
      run("inpost", 2, 9, 30, 2), // 11 in all, mostly 403
      run("swiftpod", 9, 0, 10, 1), // one short
      run("postmen", 40, 0, 200, 90), // over: its latest refusal is older than the window
    ]).run();
    const hourAgo = new Date(NOW.getTime() - 3_600_000);
    const found = await rows<RejectedRow>(rejectedRunsQuery(env.DB, hourAgo));
    expect(found.sort((a, b) => a.carrier.localeCompare(b.carrier))).toEqual([
      run("inpost", 2, 9, 30, 2),
      run("peddler", 12, 0, 6, 5),
    ]);
    await event("peddler", 4, "delivered"); // accepted after the run's latest refusal: the run is over
    expect(await rows<RejectedRow>(rejectedRunsQuery(env.DB, hourAgo))).toEqual([run("inpost", 2, 9, 30, 2)]);
    // Every minute: a range of the partial index (only runs long enough), one probe per run found.
    const plan = await env.DB.prepare(`EXPLAIN QUERY PLAN ${REJECTED_RUNS_SQL}`)
      .bind(minutesAgo(60))
      .all<{ detail: string }>();
    const detail = plan.results.map((r) => r.detail).join("; ");
    expect(detail).toMatch(/SEARCH r USING (COVERING )?INDEX rejection_runs_alerting \(last_at>\?\)/);
    expect(detail).toMatch(/SEARCH e USING COVERING INDEX events_carrier_received \(carrier=\? AND received_at>\?\)/);
    expect(detail).not.toMatch(/\bSCAN\b/);
  });

  it("carrier_silent: each carrier's last event, null for one that never sent, by index lookups", async () => {
    await event("inpost", 60 * 30, "delivered");
    await event("inpost", 60 * 26, "delivered");
    await event("peddler", 3, "delivered");
    const found = await rows<LastEventRow>(lastEventsQuery(env.DB, ["inpost", "peddler", "swiftpod"]));
    expect(found).toEqual([
      { carrier: "inpost", last: minutesAgo(60 * 26) },
      { carrier: "peddler", last: minutesAgo(3) },
      { carrier: "swiftpod", last: null },
    ]);
    const plan = await env.DB.prepare(`EXPLAIN QUERY PLAN ${LAST_EVENTS_SQL}`)
      .bind(JSON.stringify(["inpost"]))
      .all<{ detail: string }>();
    expect(plan.results.map((r) => r.detail).join("; ")).toMatch(
      /SEARCH events USING COVERING INDEX events_carrier_received \(carrier=\?\)/,
    );
  });

  it("delivery_stalled: owed events the consumer has not seen for 15 minutes", async () => {
    await event("postmen", 20, "queued", { seen: null }); // unqueued for 20 minutes
    await event("postmen", 10, "queued", { seen: null }); // on its way
    await event("postmen", 120, "queued", { seen: null, swept: minutesAgo(2) }); // just sent again (a replay, a sweep)
    await event("postmen", 60, "queued"); // seen: the consumer has it
    await event("postmen", 60, "stored", { seen: null });
    const [found] = await rows<StalledRow>(stalledDeliveryQuery(env.DB, minutesAgo(15)));
    expect(found).toEqual({ waiting: 1, waiting_since: minutesAgo(20) });
  });

  it("delivery_stalled and destination_refusing: destinations down or refusing, named, with their held deliveries", async () => {
    const held = await event("peddler", 50, "held");
    const seq = (await env.DB.prepare("SELECT seq FROM events WHERE id = ?1").bind(held).first<{ seq: number }>())?.seq;
    await env.DB.batch([
      env.DB.prepare("DELETE FROM deliveries"),
      env.DB.prepare(
        "INSERT INTO deliveries (event_seq, destination_no, state, attempts, gen, updated_at) VALUES (?1, 1, 3, 1, 0, 0)",
      ).bind(seq),
      env.DB.prepare(
        "UPDATE destinations SET health = 'down', down_since = ?1, last_failure_status = 503 WHERE no = 1",
      ).bind(minutesAgo(30)),
      env.DB.prepare(
        `INSERT INTO destinations (id, name, url, created_at, updated_at, health, down_since, last_failure_status)
         VALUES ('dst_refusing', 'crm', 'https://crm.test/hook', ?1, ?1, 'refusing', ?1, 401)`,
      ).bind(minutesAgo(10)),
    ]);
    const found = await rows<DestinationRow>(unhealthyDestinationsQuery(env.DB));
    expect(found).toEqual([
      { destination: "default", health: "down", since: minutesAgo(30), status: 503, held: 1, fault: null, error: null },
      {
        destination: "dst_refusing",
        health: "refusing",
        since: minutesAgo(10),
        status: 401,
        held: 0,
        fault: null,
        error: null,
      },
    ]);
    const alerts = evaluateAlerts(
      { dead: [], rejected: [], lastEvents: [], stalled: undefined, destinations: found, sent: [], databaseBytes: 1 },
      { carrierSilenceHours: 24, storageBudgetBytes: 10_000 },
      NOW,
    );
    expect(alerts.map((a) => [a.alert, a.details.destination, a.details.status])).toEqual([
      ["delivery_stalled", "default", 503],
      ["destination_refusing", "dst_refusing", 401],
    ]);
    await env.DB.batch([
      env.DB.prepare("DELETE FROM deliveries"),
      env.DB.prepare("DELETE FROM destinations WHERE id = 'dst_refusing'"),
      env.DB.prepare("UPDATE destinations SET health = 'up', down_since = NULL WHERE no = 1"),
    ]);
  });
});

describe("evaluateAlerts", () => {
  const none: ConditionRows = {
    dead: [],
    rejected: [],
    lastEvents: [],
    stalled: undefined,
    destinations: [],
    sent: [],
    databaseBytes: 1000,
  };
  const settings = { carrierSilenceHours: 24, storageBudgetBytes: 10_000 };

  it("words sender_rejected as the interface doc shows it", () => {
    const [alert] = evaluateAlerts(
      {
        ...none,
        rejected: [
          {
            carrier: "peddler",
            unauthorized: 12,
            forbidden: 0,
            first_at: "2026-11-23T15:26:00.000Z",
            last_at: "2026-11-23T15:28:00.000Z",
          },
        ],
      },
      settings,
      NOW,
    );
    expect(JSON.stringify(alert)).toBe(
      JSON.stringify({
        text: "parcelhook: 12 peddler requests refused (401) since the last one accepted; check its secret on both sides",
        alert: "sender_rejected",
        carrier: "peddler",
        count: 12,
        since: "2026-11-23T15:26:00.000Z",
        details: { status: 401 },
      }),
    );
  });

  it("storage_high past 80 % of the budget, from the size D1 reports", () => {
    expect(evaluateAlerts({ ...none, databaseBytes: 8_000 }, settings, NOW)).toEqual([]);
    expect(evaluateAlerts({ ...none, databaseBytes: 8_001 }, settings, NOW)).toEqual([
      expect.objectContaining({
        alert: "storage_high",
        carrier: null,
        details: { bytes: 8_001, budget_bytes: 10_000, percent: 80 },
      }),
    ]);
  });

  it("carrier_silent past CARRIER_SILENCE_HOURS, once per silence", () => {
    const lastEvents = [
      { carrier: "inpost", last: minutesAgo(60 * 25) },
      { carrier: "peddler", last: minutesAgo(60 * 23) },
      { carrier: "swiftpod", last: null },
    ];
    const silent = evaluateAlerts({ ...none, lastEvents }, settings, NOW);
    expect(silent.map((a) => [a.alert, a.carrier, a.count, a.since])).toEqual([
      ["carrier_silent", "inpost", 25, minutesAgo(60 * 25)],
    ]);
    const sent = [{ alert: "carrier_silent", carrier: "inpost", sent_at: minutesAgo(120), since: minutesAgo(60 * 25) }];
    expect(evaluateAlerts({ ...none, lastEvents, sent }, settings, NOW)).toEqual([]);
  });

  it("at most one per condition and carrier per hour", () => {
    const dead = [
      { carrier: "peddler", n: 1, first: minutesAgo(1) },
      { carrier: "postmen", n: 2, first: minutesAgo(1) },
    ];
    const sent = [
      { alert: "events_dead", carrier: "peddler", sent_at: minutesAgo(59), since: minutesAgo(70) },
      { alert: "events_dead", carrier: "postmen", sent_at: minutesAgo(61), since: minutesAgo(70) },
    ];
    expect(evaluateAlerts({ ...none, dead, sent }, settings, NOW).map((a) => a.carrier)).toEqual(["postmen"]);
  });
});

describe("checkAlerts", () => {
  it("does nothing at all without ALERT_URL, not even a D1 statement", async () => {
    const counted = countRoundTrips(env.DB);
    expect(await checkAlerts({ ...env, DB: counted.db, STORAGE_BUDGET_BYTES: "1" } as Env, NOW)).toEqual([]);
    expect(counted.count()).toBe(0);
  });

  it("claims an alert once: a second, overlapping run gets nothing to send", async () => {
    const claim = { alert: "storage_high", carrier: "", since: NOW.toISOString(), count: 1 };
    const hourAgo = minutesAgo(60);
    expect(await claimAlerts(env.DB, [claim], NOW.toISOString(), hourAgo)).toEqual([claim]);
    expect(await claimAlerts(env.DB, [claim], NOW.toISOString(), hourAgo)).toEqual([]);
  });

  it("undoes the claim of an alert whose POST failed, so the next run tries again (fault: ALERT_URL refuses connections)", async () => {
    const vars = { ALERT_URL: "http://127.0.0.1:1/alerts", STORAGE_BUDGET_BYTES: "1" };
    const counted = countRoundTrips(env.DB);
    expect(await checkAlerts({ ...env, ...vars, DB: counted.db } as Env, NOW)).toEqual([]);
    expect(counted.count()).toBe(3); // the condition batch, the claim, the release
    const row = await env.DB.prepare("SELECT sent_at FROM alerts_sent WHERE alert = 'storage_high'").first();
    expect(row).toEqual({ sent_at: "" });
  });
});
