import { env } from "cloudflare:workers";
import parsePrometheusTextFormat from "parse-prometheus-text-format";
import { beforeAll, describe, expect, it } from "vitest";
import { countRoundTrips } from "../src/consumer/count-round-trips";
import { metricSources, scrapeMetrics } from "../src/metrics/scrape-metrics";
import { flushRejections } from "../src/rejections/count-rejection";
import { peddlerOutForDelivery } from "./fixtures/peddler";
import { call } from "./helpers/post-webhook";

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

beforeAll(async () => {
  const delivery = { ...peddlerOutForDelivery, id: `metrics-${crypto.randomUUID()}` };
  expect((await call("/webhooks/peddler", delivery, { headers: auth })).status).toBe(200);
  expect((await call("/webhooks/peddler", delivery, { headers: auth })).status).toBe(200); // duplicate
  const refused = await call("/webhooks/peddler", delivery, { headers: { "x-webhook-shared-token": "nope" } });
  expect(refused.status).toBe(401);
  expect((await call("/metrics", undefined, { headers: { authorization: "Bearer wrong" } })).status).toBe(401);
  await flushRejections(env.DB);
  const res = await call("/metrics", undefined, { headers: admin });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
  text = await res.text();
  families = parsePrometheusTextFormat(text) as Family[];
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
    expect(total("accepted")).toBeGreaterThanOrEqual(1);
    expect(total("duplicate")).toBeGreaterThanOrEqual(1);
    expect(
      value("parcelhook_requests_total", { carrier: "peddler", outcome: "rejected", status: "401" }),
    ).toBeDefined();
    expect(value("parcelhook_requests_total", { carrier: "operator", code: "unauthorized" })).toBeDefined();
  });

  it("gives events by delivery state, the oldest owed, destinations, newest event per carrier and storage", () => {
    for (const state of ["queued", "retrying", "held", "dead"]) {
      expect(value("parcelhook_events", { state }), state).toBeDefined();
    }
    expect(Number(value("parcelhook_oldest_owed_event_age_seconds", {}))).toBeGreaterThanOrEqual(0);
    expect(value("parcelhook_destination_health", { destination: "default", health: "up" })).toBe("1");
    expect(value("parcelhook_destination_deliveries", { destination: "default", state: "held" })).toBe("0");
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
    // The partial index holds only deliveries not yet delivered: reading all of it never reads the
    // delivered bulk.
    expect(destinations).toMatch(/deliveries USING COVERING INDEX deliveries_unsettled/);
    expect(destinations).not.toMatch(/SCAN deliveries(?! USING COVERING INDEX deliveries_unsettled)/);
    expect(newest).toMatch(/SEARCH events USING COVERING INDEX events_carrier_received \(carrier=\?\)/);
    expect(newest).not.toMatch(/SCAN events/);
    expect(pulls).toMatch(/^SCAN pull_sources$/); // one row per registered pull source
  });
});
