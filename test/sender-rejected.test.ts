import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { type Alert, checkAlerts } from "../src/alerts";
import { flushRejections } from "../src/rejections/count-rejection";
import { rejectionRunsStatement } from "../src/rejections/record-rejections";
import { peddlerOutForDelivery } from "./fixtures/peddler";
import { call } from "./helpers/post-webhook";

// The run, as a new user tried it: a few Peddler events accepted, then the token changes on
// one side and 12 deliveries are refused. The alert must come within 5 minutes of the tenth (the
// cron runs every minute), not one to two clock hours later.
const ALERT_URL = "https://alerts.parcelhook.test/hook";
const good = { "x-webhook-shared-token": "test-peddler" };
const wrong = { "x-webhook-shared-token": "changed-on-one-side" };
let n = 0;
const delivery = () => ({ ...peddlerOutForDelivery, id: `sender-rejected-${++n}-${crypto.randomUUID()}` });

async function runCron(at: Date): Promise<Alert[]> {
  vi.spyOn(globalThis, "fetch").mockImplementation(async () => new Response("ok"));
  try {
    return await checkAlerts({ ...env, ALERT_URL } as Env, at);
  } finally {
    vi.restoreAllMocks();
  }
}

async function send(count: number, headers: Record<string, string>, status: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const res = await call("/webhooks/peddler", delivery(), { headers });
    expect(res.status).toBe(status);
  }
}

beforeEach(async () => {
  await flushRejections(env.DB);
  await env.DB.batch(
    ["events", "rejections", "rejection_runs", "alerts_sent"].map((t) => env.DB.prepare(`DELETE FROM ${t}`)),
  );
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe("sender_rejected (fetch replaced: the alert POST is captured, not sent)", () => {
  it("the issue's run: 3 accepted, then 12 refused; the next cron run, a minute later, alerts", async () => {
    await send(3, good, 200);
    await send(12, wrong, 401);
    await flushRejections(env.DB); // the isolate writes its counts within REJECTION_FLUSH_MS (10 s)
    const alerts = await runCron(new Date(Date.now() + 60_000));
    const rejected = alerts.filter((a) => a.alert === "sender_rejected");
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).toMatchObject({ carrier: "peddler", count: 12, details: { status: 401 } });
    // At most once per carrier per hour.
    await send(5, wrong, 401);
    await flushRejections(env.DB);
    expect((await runCron(new Date(Date.now() + 120_000))).map((a) => a.alert)).not.toContain("sender_rejected");
  });

  it("nine refused is not yet a run worth an alert", async () => {
    await send(1, good, 200);
    await send(9, wrong, 401);
    await flushRejections(env.DB);
    expect((await runCron(new Date(Date.now() + 60_000))).map((a) => a.alert)).not.toContain("sender_rejected");
  });

  it("an accepted request ends the run: refusals before it do not count", async () => {
    await send(8, wrong, 401);
    await flushRejections(env.DB);
    await send(1, good, 200);
    await send(4, wrong, 401);
    await flushRejections(env.DB);
    expect((await runCron(new Date(Date.now() + 60_000))).map((a) => a.alert)).not.toContain("sender_rejected");
    await send(6, wrong, 401);
    await flushRejections(env.DB);
    const alerts = await runCron(new Date(Date.now() + 120_000));
    expect(alerts.find((a) => a.alert === "sender_rejected")).toMatchObject({ carrier: "peddler", count: 10 });
  });
});

describe("the run's upkeep in the counter flush", () => {
  it("probes events_carrier_received per carrier, never scans events (EXPLAIN QUERY PLAN)", async () => {
    const stmt = rejectionRunsStatement(env.DB, []) as unknown as { statement: string; params: unknown[] };
    const plan = await env.DB.prepare(`EXPLAIN QUERY PLAN ${stmt.statement}`)
      .bind(...stmt.params)
      .all<{ detail: string }>();
    const detail = plan.results.map((r) => r.detail).join("; ");
    expect(detail).toMatch(/SEARCH e USING COVERING INDEX events_carrier_received \(carrier=\? AND received_at>\?\)/);
    expect(detail).not.toMatch(/SCAN e\b|SCAN events/);
  });
});
