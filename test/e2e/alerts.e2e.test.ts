// End to end: every alert condition raised in a real `wrangler dev` (D1, queues, consumer, the cron
// handler on /cdn-cgi/handler/scheduled) and POSTed to a local sink as ALERT_URL, signed.
// Phase 1 sends real webhooks (accepted ones for three carriers, refused ones for Peddler). Phase 2,
// with the receiver stopped, moves time in D1 (a second process on the SQLite files while wrangler
// dev runs is asking for trouble): InPost's events become 30 hours old, SwiftPOD's went dead a
// moment ago, Postmen's are held. Phase 3 restarts the receiver on the same storage with ALERT_URL
// and a tiny STORAGE_BUDGET_BYTES, and runs the cron twice.
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildPlan } from "../../scripts/simulate/plan";
import { settingsFromVars } from "../../scripts/simulate/secrets";
import { sendOne } from "../../scripts/simulate/send";
import { type Sink, startSink } from "./sink";
import { type Receiver, startReceiver, TEST_VARS } from "./start-receiver";

// Alerts are signed with their own key, never the forwarding key (test/alert-signing.test.ts).
const SECRET = "whsec_YWxlcnQtc2lnbmluZy1rZXktb2YtdGhpcnR5LXR3by1ieXRlcw==";
const PORT = 8900;
const admin = { authorization: `Bearer ${TEST_VARS.ADMIN_TOKEN}` };

let sink: Sink;
let receiver: Receiver | undefined;
let persistTo: string;

interface AlertBody {
  text: string;
  alert: string;
  carrier: string | null;
  count: number;
  since: string;
  details: Record<string, unknown>;
}

async function waitUntil(check: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function api<T>(path: string): Promise<T> {
  const res = await fetch(`${receiver?.url}${path}`, { headers: admin });
  if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
  return (await res.json()) as T;
}

function databaseFile(): string {
  const dir = join(persistTo, "v3", "d1", "miniflare-D1DatabaseObject");
  const file = readdirSync(dir)
    .filter((f) => f.endsWith(".sqlite") && f !== "metadata.sqlite")
    .map((f) => join(dir, f))
    .sort((a, b) => statSync(b).size - statSync(a).size)[0];
  if (!file) throw new Error(`no database under ${dir}`);
  return file;
}

beforeAll(async () => {
  sink = await startSink({ port: PORT + 5, secret: SECRET });
  persistTo = mkdtempSync(join(tmpdir(), "parcelhook-e2e-alerts-"));

  // Phase 1: real webhooks.
  receiver = await startReceiver({ port: PORT, persistTo });
  // The cron job first, as Cloudflare runs it every minute: it tells the consumer the app has no
  // FORWARD_URL either, so the events are only stored (docs/consumer.md, FORWARD_URL unset).
  expect((await fetch(`${receiver.url}/cdn-cgi/handler/scheduled`)).status).toBe(200);
  const settings = settingsFromVars(TEST_VARS);
  for (const carrier of ["inpost", "swiftpod", "postmen"]) {
    const plan = buildPlan({ count: 4, settings, seed: 41, retryShare: 0, carriers: [carrier] });
    for (const d of plan.deliveries) expect((await sendOne(receiver.url, d)).status, d.label).toBe(200);
  }
  // The run: 12 refused (sender_rejected needs 10 since the carrier's last accepted one).
  for (let i = 0; i < 12; i++) {
    const res = await fetch(`${receiver.url}/webhooks/peddler`, {
      method: "POST",
      headers: { "x-webhook-shared-token": "a-drifted-token" },
      body: "{}",
    });
    expect(res.status).toBe(401);
  }
  // Counted rejections may be flushed to D1 later than the answer: wait until the stats show them,
  // and until the consumer has seen every event, before stopping.
  await waitUntil(async () => {
    const stats = await api<{ rejections: { by_reason: { carrier: string; status: number; count: number }[] } }>(
      "/api/stats",
    );
    return stats.rejections.by_reason.some((r) => r.carrier === "peddler" && r.status === 401 && r.count === 12);
  }, "the 401s in the stats");
  await waitUntil(
    async () => (await api<{ events: unknown[] }>("/api/events?state=queued")).events.length === 0,
    "the consumer to see every event",
  );
  await receiver.stop();
  receiver = undefined;

  // Phase 2: time moves, in D1 itself.
  const db = new DatabaseSync(databaseFile());
  const now = new Date().toISOString();
  const longAgo = new Date(Date.now() - 30 * 3_600_000).toISOString();
  db.prepare("UPDATE events SET received_at = ?, updated_at = ? WHERE carrier = 'inpost'").run(longAgo, longAgo);
  db.prepare("UPDATE events SET state = 'dead', updated_at = ? WHERE carrier = 'swiftpod'").run(now);
  // Postmen's deliveries to default held while default is down (as the consumer leaves them).
  db.prepare("UPDATE events SET state = 'held', updated_at = ? WHERE carrier = 'postmen'").run(now);
  db.prepare(
    "INSERT OR REPLACE INTO deliveries (event_seq, destination_no, state, attempts, gen, updated_at) SELECT seq, 1, 3, 1, 0, 0 FROM events WHERE carrier = 'postmen'",
  ).run();
  db.prepare(
    "UPDATE destinations SET health = 'down', failures = 5, down_since = ?, last_failure_status = 503 WHERE no = 1",
  ).run(now);
  db.close();

  // Phase 3: the receiver again, with alerts on and a budget the database already exceeds.
  receiver = await startReceiver({
    port: PORT,
    persistTo,
    vars: { ALERT_URL: sink.url, ALERT_SIGNING_SECRET: SECRET, STORAGE_BUDGET_BYTES: "1000" },
  });
});

afterAll(async () => {
  await receiver?.stop();
  await sink?.stop();
  if (persistTo) rmSync(persistTo, { recursive: true, force: true });
});

describe("alerts to ALERT_URL (real wrangler dev, local sink)", () => {
  const alerts = () => sink.requests.map((r) => JSON.parse(r.body) as AlertBody);
  const count = (carrier: string) =>
    buildPlan({ count: 4, settings: settingsFromVars(TEST_VARS), seed: 41, retryShare: 0, carriers: [carrier] })
      .distinct;

  it("raises each condition once, as JSON a Slack incoming webhook takes, signed", async () => {
    const res = await fetch(`${receiver?.url}/cdn-cgi/handler/scheduled`);
    expect(res.status).toBe(200);
    await sink.waitFor(() => sink.requests.length >= 5, 30_000, "five alerts");
    await new Promise((r) => setTimeout(r, 1000)); // nothing more should come

    const byName = new Map(alerts().map((a) => [a.alert, a]));
    expect([...byName.keys()].sort()).toEqual([
      "carrier_silent",
      "delivery_stalled",
      "events_dead",
      "sender_rejected",
      "storage_high",
    ]);
    expect(sink.requests).toHaveLength(5);
    for (const r of sink.requests) {
      expect(r.contentType).toBe("application/json");
      expect(r.specVerified && r.svixVerified, r.body).toBe(true);
      const body = JSON.parse(r.body) as AlertBody;
      expect(Object.keys(body)).toEqual(["text", "alert", "carrier", "count", "since", "details"]);
      expect(body.text).toMatch(/^parcelhook: /);
      expect(new Date(body.since).toISOString()).toBe(body.since);
    }
    expect(byName.get("sender_rejected")).toMatchObject({
      text: "parcelhook: 12 peddler requests refused (401) since the last one accepted; check its secret on both sides",
      carrier: "peddler",
      count: 12,
      details: { status: 401 },
    });
    expect(byName.get("events_dead")).toMatchObject({ carrier: "swiftpod", count: count("swiftpod") });
    expect(byName.get("carrier_silent")).toMatchObject({ carrier: "inpost", count: 30 });
    expect(byName.get("delivery_stalled")).toMatchObject({
      carrier: null,
      count: count("postmen"),
      details: { destination: "default", held: count("postmen"), status: 503 },
    });
    expect(byName.get("storage_high")).toMatchObject({ carrier: null, details: { budget_bytes: 1000 } });
    expect(byName.get("storage_high")?.count).toBeGreaterThan(800);
  });

  it("sends no condition twice within the hour", async () => {
    const res = await fetch(`${receiver?.url}/cdn-cgi/handler/scheduled`);
    expect(res.status).toBe(200);
    await new Promise((r) => setTimeout(r, 3000));
    expect(sink.requests).toHaveLength(5);
  });
});
