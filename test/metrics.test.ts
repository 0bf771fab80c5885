import { env } from "cloudflare:workers";
import parsePrometheusTextFormat from "parse-prometheus-text-format";
import { beforeAll, describe, expect, it } from "vitest";
import { countRoundTrips } from "../src/consumer/count-round-trips";
import { STATE_CODE } from "../src/delivery/delivery-state";
import { metricSources, scrapeMetrics } from "../src/metrics/scrape-metrics";
import { flushRejections } from "../src/rejections/count-rejection";
import { peddlerOutForDelivery } from "./fixtures/peddler";
import { createDestination } from "./helpers/destinations";
import { call } from "./helpers/post-webhook";
import { storeEvents } from "./helpers/store-events";
import { storedEvent } from "./helpers/stored-event";

// GET /metrics in the Prometheus text exposition format, behind the operator token, parsed by a
// real Prometheus text parser; a fixed number of D1 statements (one batch) per scrape, each an
// index range or a small fixed table, whatever the data size.
interface Family {
  name: string;
  help: string;
  type: string;
  metrics: { value: string; labels?: Record<string, string> }[];
}

const admin = { authorization: `Bearer ${env.ADMIN_TOKEN}` };
const auth = { "x-webhook-shared-token": "test-peddler" };
let text = "";
let families: Family[] = [];
const family = (name: string) => families.find((f) => f.name === name);
const value = (name: string, labels: Record<string, string>) =>
  family(name)?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v))?.value;

async function scrape(): Promise<Family[]> {
  const res = await call("/metrics", undefined, { headers: admin });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
  text = await res.text();
  families = parsePrometheusTextFormat(text) as Family[];
  return families;
}

/** Stores `n` events in `state`, received `ageSeconds` ago, as the receiver would (their seqs). */
async function eventsIn(state: string, n: number, ageSeconds = 0): Promise<number[]> {
  const events = await storeEvents(n, new Date(Date.now() - ageSeconds * 1000).toISOString());
  await env.DB.prepare("UPDATE events SET state = ?2 WHERE id IN (SELECT value FROM json_each(?1))")
    .bind(JSON.stringify(events.map((e) => e.id)), state)
    .run();
  return events.map((e) => e.seq);
}

// What the scrape must show is what these actions decide: one event accepted and its duplicate,
// one refused request, one refused operator bearer; events stored in each delivery state (none
// queued to the consumer, so nothing moves them); a destination with deliveries in each state.
const OWED_AGE_SECONDS = 3600;
let destination = "";
let destinationNo = 0;

beforeAll(async () => {
  const delivery = { ...peddlerOutForDelivery, id: `metrics-${crypto.randomUUID()}` };
  const accepted = await call("/webhooks/peddler", delivery, { headers: auth });
  expect(accepted.status).toBe(200);
  expect((await call("/webhooks/peddler", delivery, { headers: auth })).status).toBe(200); // duplicate
  const refused = await call("/webhooks/peddler", delivery, { headers: { "x-webhook-shared-token": "nope" } });
  expect(refused.status).toBe(401);
  expect((await call("/metrics", undefined, { headers: { authorization: "Bearer wrong" } })).status).toBe(401);
  await flushRejections(env.DB);
  // The accepted event goes to the real local queue: wait until the consumer has seen it (no
  // destination matches it here, so it ends `stored`) before counting states.
  const { event_id: id } = await accepted.json<{ event_id: string }>();
  for (let i = 0; i < 100 && (await storedEvent(id))?.state !== "stored"; i++) await scheduler.wait(100);
  expect((await storedEvent(id))?.state).toBe("stored");

  await eventsIn("queued", 2, OWED_AGE_SECONDS);
  await eventsIn("retrying", 1);
  await eventsIn("held", 3);
  await eventsIn("dead", 4);
  const delivered = await eventsIn("delivered", 5);

  const d = await createDestination("metrics", "https://metrics.example/hook", { paused: true });
  destination = d.id;
  destinationNo = d.no;
  const states = [
    ...Array(2).fill(STATE_CODE.queued),
    STATE_CODE.retrying,
    ...Array(3).fill(STATE_CODE.held),
    ...Array(4).fill(STATE_CODE.dead),
    ...Array(5).fill(STATE_CODE.delivered),
  ];
  await env.DB.batch(
    states.map((state, i) =>
      env.DB.prepare(
        "INSERT INTO deliveries (event_seq, destination_no, state, attempts, gen, updated_at) VALUES (?1, ?2, ?3, 1, 0, 0)",
      ).bind((delivered[0] as number) * 1000 + i, destinationNo, state),
    ),
  );
  await scrape();
});

describe("GET /metrics", () => {
  it("answers 401 without the operator token, and the same 503 rules (test/operator-tokens.test.ts)", async () => {
    expect((await call("/metrics")).status).toBe(401);
  });

  it("parses as the text exposition format: every family typed and documented, every line well formed", () => {
    expect(families.length).toBeGreaterThanOrEqual(10);
    for (const f of families) {
      expect(f.name).toMatch(/^parcelhook_[a-z_]+$/);
      expect(["counter", "gauge"]).toContain(f.type.toLowerCase());
      expect(f.help.length).toBeGreaterThan(10);
    }
    const sample = /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\.)*",?)*\})? -?[0-9.e+]+$/;
    for (const line of text.trimEnd().split("\n")) {
      if (!line.startsWith("# ")) expect(line).toMatch(sample);
    }
    expect(family("parcelhook_requests_total")?.type.toLowerCase()).toBe("counter");
  });

  it("counts accepted, duplicate and rejected requests by carrier and reason, and refused operator bearers", () => {
    const total = (outcome: string, carrier = "peddler") =>
      Number(value("parcelhook_requests_total", { carrier, outcome }) ?? 0);
    expect(total("accepted")).toBe(1);
    expect(total("duplicate")).toBe(1);
    expect(value("parcelhook_requests_total", { carrier: "peddler", outcome: "rejected", status: "401" })).toBe("1");
    expect(value("parcelhook_requests_total", { carrier: "operator", code: "unauthorized" })).toBe("1");
    expect(total("accepted", "postmen")).toBe(0); // stored directly, never a request
  });

  it("gives events by delivery state and the oldest owed, as stored", () => {
    const events = (state: string) => value("parcelhook_events", { state });
    expect([events("queued"), events("retrying"), events("held"), events("dead")]).toEqual(["2", "1", "3", "4"]);
    expect(events("delivered")).toBeUndefined(); // the delivered bulk is never counted per scrape
    const age = Number(value("parcelhook_oldest_owed_event_age_seconds", {}));
    expect(age).toBeGreaterThanOrEqual(OWED_AGE_SECONDS);
    expect(age).toBeLessThan(OWED_AGE_SECONDS + 120);
  });

  it("gives each destination's deliveries by state except delivered, and they follow a state move", async () => {
    const deliveries = (state: string) => value("parcelhook_destination_deliveries", { destination, state });
    expect([deliveries("queued"), deliveries("retrying"), deliveries("held"), deliveries("dead")]).toEqual([
      "2",
      "1",
      "3",
      "4",
    ]);
    expect(deliveries("delivered")).toBeUndefined();
    expect(value("parcelhook_destination_health", { destination, health: "up" })).toBe("1");
    expect(value("parcelhook_destination_health", { destination, health: "down" })).toBe("0");
    // A held delivery delivered, a dead one deleted (retention): the next scrape says so.
    await env.DB.batch([
      env.DB.prepare(
        `UPDATE deliveries SET state = ${STATE_CODE.delivered}
         WHERE destination_no = ?1 AND state = ${STATE_CODE.held} AND event_seq = (
           SELECT min(event_seq) FROM deliveries WHERE destination_no = ?1 AND state = ${STATE_CODE.held})`,
      ).bind(destinationNo),
      env.DB.prepare(
        `DELETE FROM deliveries WHERE destination_no = ?1 AND event_seq = (
           SELECT min(event_seq) FROM deliveries WHERE destination_no = ?1 AND state = ${STATE_CODE.dead})`,
      ).bind(destinationNo),
    ]);
    await scrape();
    expect([deliveries("held"), deliveries("dead")]).toEqual(["2", "3"]);
  });

  it("gives the newest event per carrier and storage", () => {
    expect(Number(value("parcelhook_carrier_last_event_age_seconds", { carrier: "peddler" }))).toBeLessThan(600);
    expect(Number(value("parcelhook_database_bytes", {}))).toBeGreaterThan(0);
    expect(value("parcelhook_storage_budget_bytes", {})).toBe("10000000000");
  });

  it("costs one D1 round trip of five statements, each an index range or a small fixed table (EXPLAIN QUERY PLAN)", async () => {
    const counted = countRoundTrips(env.DB);
    await scrapeMetrics({ ...env, DB: counted.db } as Env);
    expect(counted.count()).toBe(1);
    const sources = metricSources(env.DB);
    expect(sources).toHaveLength(5);
    const plans: string[] = [];
    for (const { statement } of sources) {
      // EXPLAIN the statement's own SQL with its own parameters.
      const { statement: sql, params } = statement as unknown as { statement: string; params: unknown[] };
      const plan = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`)
        .bind(...(params ?? []))
        .all<{ detail: string }>();
      plans.push(plan.results.map((r) => r.detail).join("; "));
    }
    const [totals, states, destinations, newest, pulls] = plans;
    expect(totals).toMatch(/^SCAN request_totals$/); // a bounded key space, never grows with traffic
    expect(states).toMatch(/SEARCH events USING COVERING INDEX events_state_received \(state=\?\)/);
    expect(states).not.toMatch(/\bSCAN\b/);
    expect(destinations).toMatch(/SCAN d\b/); // the destinations themselves: a handful of rows
    // Each destination's counts by primary key in delivery_counts (kept by triggers): never a read
    // of its deliveries.
    expect(destinations).toMatch(/SEARCH x USING PRIMARY KEY \(destination_no=\?\)/);
    expect(destinations).not.toMatch(/deliveries/);
    expect(newest).toMatch(/SEARCH events USING COVERING INDEX events_carrier_received \(carrier=\?\)/);
    expect(newest).not.toMatch(/SCAN events/);
    expect(pulls).toMatch(/^SCAN pull_sources$/); // one row per registered pull source
  });
});
