// End to end: webhook POST -> real wrangler dev (D1, the real local queue and its consumers) ->
// signed POST to a local sink. State is read back through the operator API and, for the columns
// it does not show, straight from the receiver's local D1 once the receiver has stopped (a second
// process on the same SQLite files while wrangler dev runs is asking for trouble).
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sink, startSink } from "./sink";
import { type Receiver, startReceiver, TEST_VARS } from "./start-receiver";

const SECRET = TEST_VARS.FORWARD_SIGNING_SECRET ?? "";
// Fewer retries than production's 10, so a downstream that never recovers ends dead in seconds.
const MAX_RETRIES = 3;

let sink: Sink;
let receiver: Receiver;
let persistTo: string;
/** What each event's row must hold at the end: checked in D1 after the receiver stops. */
const expectedRows = new Map<string, { state: string; attempts: number }>();

/** The consumer's config as deployed, with a smaller max_retries. */
function fewerRetries(name: string, toml: string): string {
  if (name !== "wrangler.consumer.toml") return toml;
  if (!/^max_retries = 10$/m.test(toml)) throw new Error(`${name} no longer has max_retries = 10: update the e2e edit`);
  return toml.replace(/^max_retries = 10$/m, `max_retries = ${MAX_RETRIES}`);
}

beforeAll(async () => {
  sink = await startSink({ port: 8830, secret: SECRET });
  persistTo = mkdtempSync(join(tmpdir(), "parcelhook-e2e-forwarding-"));
  receiver = await startReceiver({
    port: 8820,
    edit: fewerRetries,
    persistTo,
    vars: { FORWARD_URL: sink.url, FORWARD_RETRY_BASE_SECONDS: "1", FORWARD_TIMEOUT_MS: "2000" },
  });
});

afterAll(async () => {
  await receiver?.stop();
  await sink?.stop();
  if (persistTo) rmSync(persistTo, { recursive: true, force: true });
});

let seq = 0;
function peddler(over: Record<string, unknown> = {}) {
  seq += 1;
  return {
    id: `e2e-${Date.now()}-${seq}`,
    carrierTrackingNumber: `PE2E${Date.now()}${seq}`,
    status: "SHIPMENT_IN_WAREHOUSE",
    code: 210,
    ts: "2024-09-02T13:08:06.574Z",
    ...over,
  };
}

async function post(payload: unknown): Promise<{ status: string; event_id: string }> {
  const res = await fetch(`${receiver.url}/webhooks/peddler`, {
    method: "POST",
    headers: { "x-webhook-shared-token": "test-peddler", "content-type": "application/json" },
    body: JSON.stringify(payload),
  });
  expect(res.status).toBe(200);
  return res.json() as Promise<{ status: string; event_id: string }>;
}

async function api<T>(path: string, method = "GET"): Promise<{ status: number; body: T }> {
  const res = await fetch(`${receiver.url}/api${path}`, {
    method,
    headers: { authorization: "Bearer test-admin-token-0123456789abcdef0123" },
  });
  return { status: res.status, body: (await res.json()) as T };
}

interface Detail {
  event: { id: string; state: string };
  seen_at: string | null;
  attempts: { kind: string; http_status: number | null; error: string | null; duration_ms: number | null }[];
}

async function waitForState(id: string, state: string, timeoutMs = 30_000): Promise<Detail> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { body } = await api<Detail>(`/events/${id}`);
    if (body.event?.state === state) return body;
    if (Date.now() > deadline) throw new Error(`event ${id} is ${body.event?.state}, not ${state}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

/** The consumer's own columns, which the operator API does not show. */
function d1Rows(ids: string[]): { id: string; state: string; attempts: number; seen_at: string | null }[] {
  const list = ids.map((id) => `'${id}'`).join(",");
  const out = spawnSync(
    join(process.cwd(), "node_modules", ".bin", "wrangler"),
    ["d1", "execute", "DB", "--local", "--persist-to", persistTo, "--json", "--command"].concat(
      `SELECT id, state, attempts, seen_at FROM events WHERE id IN (${list}) ORDER BY id`,
    ),
    { encoding: "utf8", env: { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" } },
  );
  if (out.status !== 0) throw new Error(out.stderr || out.stdout);
  return JSON.parse(out.stdout)[0].results;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("forwarding to FORWARD_URL", () => {
  it("delivers each event once, as the normalized event, with a signature svix and the spec accept", async () => {
    const payloads = [
      peddler(),
      peddler({ status: "OUT_FOR_DELIVERY", code: 410 }),
      peddler({ status: "SHIPMENT_DETAILS_UPDATED", code: 1100 }),
    ];
    const ids = [];
    for (const p of payloads) ids.push((await post(p)).event_id);
    for (const id of ids) await waitForState(id, "delivered");
    await sleep(1500); // room for a wrong second delivery to show up
    for (const [i, id] of ids.entries()) {
      const deliveries = sink.deliveriesOf(id);
      expect(deliveries).toHaveLength(1);
      const [d] = deliveries;
      expect(d).toMatchObject({ svixVerified: true, specVerified: true, status: 200, webhookId: id });
      expect(d?.contentType).toMatch(/^application\/json/);
      expect(Math.abs(Number(d?.timestamp) - Date.now() / 1000)).toBeLessThan(60);
      expect(JSON.parse(d?.body ?? "{}")).toMatchObject({
        id,
        carrier: "peddler",
        type: "shipment.status_changed",
        tracking_number: payloads[i]?.carrierTrackingNumber,
        occurred_at: "2024-09-02T13:08:06.574Z",
        carrier_status: payloads[i]?.status,
      });
      const detail = await waitForState(id, "delivered");
      expect(detail.attempts).toEqual([
        {
          destination_id: "default",
          kind: "forward",
          attempted_at: expect.any(String),
          http_status: 200,
          error: null,
          duration_ms: expect.any(Number),
        },
      ]);
    }
    for (const id of ids) expectedRows.set(id, { state: "delivered", attempts: 1 });
  });

  it("an event too large for a queue message is forwarded whole, data and all, as D1 holds it", async () => {
    // 150 KB of metaData: the body fits MAX_BODY_BYTES, the event does not fit a 128 KB message.
    const big = peddler({ metaData: "m".repeat(150_000) });
    const { event_id } = await post(big);
    await waitForState(event_id, "delivered");
    const [d] = sink.deliveriesOf(event_id);
    expect(d).toMatchObject({ svixVerified: true, specVerified: true });
    const body = JSON.parse(d?.body ?? "{}");
    expect(body.data.meta_data).toBe(big.metaData);
    expect(body).not.toHaveProperty("data_omitted");
    expectedRows.set(event_id, { state: "delivered", attempts: 1 });
  });

  it("out of order and duplicate deliveries: each event forwarded once, the shipment keeps the newest status", async () => {
    const tn = `POOO${Date.now()}`;
    const delivered = peddler({
      carrierTrackingNumber: tn,
      status: "DELIVERED",
      code: 500,
      ts: "2024-09-03T10:00:00.000Z",
    });
    const late = peddler({
      carrierTrackingNumber: tn,
      status: "SHIPMENT_IN_WAREHOUSE",
      code: 210,
      ts: "2024-09-02T10:00:00.000Z",
    });
    const first = await post(delivered);
    const second = await post(late);
    const again = await post(delivered);
    expect(again).toEqual({ status: "duplicate", event_id: first.event_id });
    await waitForState(first.event_id, "delivered");
    await waitForState(second.event_id, "delivered");
    await sleep(1500);
    expect(sink.deliveriesOf(first.event_id)).toHaveLength(1);
    expect(sink.deliveriesOf(second.event_id)).toHaveLength(1);
    const { body } = await api<{ status: string; timeline: { id: string; status: string }[] }>(`/shipments/${tn}`);
    expect(body.status).toBe("delivered");
    expect(body.timeline.map((e) => [e.id, e.status])).toEqual([
      [second.event_id, "in_transit"],
      [first.event_id, "delivered"],
    ]);
  });

  it("a downstream that fails twice then recovers: retried with growing delays, delivered, every attempt recorded", async () => {
    sink.behave({ failFirst: 2 });
    const { event_id: id } = await post(peddler());
    const detail = await waitForState(id, "delivered", 40_000);
    const deliveries = sink.deliveriesOf(id);
    expect(deliveries.map((d) => d.status)).toEqual([503, 503, 200]);
    expect(deliveries.every((d) => d.svixVerified && d.specVerified)).toBe(true);
    // Base 1 s doubling, ±20 % jitter: at least 0.8 s, then at least 1.6 s between attempts.
    const [a, b, c] = deliveries.map((d) => d.at) as [number, number, number];
    expect(b - a).toBeGreaterThanOrEqual(800);
    expect(c - b).toBeGreaterThanOrEqual(1600);
    expect(detail.attempts.map((x) => [x.kind, x.http_status, x.error])).toEqual([
      ["forward", 503, "HTTP 503"],
      ["forward", 503, "HTTP 503"],
      ["forward", 200, null],
    ]);
    expectedRows.set(id, { state: "delivered", attempts: 3 });
  });

  it("a downstream that does not answer in time: the attempt is a timeout, retried, then delivered", async () => {
    sink.behave({ delayFirstMs: 4000 });
    const { event_id: id } = await post(peddler());
    const detail = await waitForState(id, "delivered", 40_000);
    expect(sink.deliveriesOf(id)).toHaveLength(2);
    expect(detail.attempts.map((x) => [x.http_status, x.error])).toEqual([
      [null, "no answer within 2000 ms"],
      [200, null],
    ]);
    expect(detail.attempts[0]?.duration_ms).toBeGreaterThanOrEqual(1900);
    expectedRows.set(id, { state: "delivered", attempts: 2 });
  });

  it("a downstream that never recovers: dead after the last retry, and a replay delivers the same id", async () => {
    sink.behave({ alwaysFail: true });
    const { event_id: id } = await post(peddler());
    const dead = await waitForState(id, "dead", 60_000);
    expect(sink.deliveriesOf(id)).toHaveLength(MAX_RETRIES + 1);
    expect(dead.attempts.map((x) => x.kind)).toEqual([...Array(MAX_RETRIES + 1).fill("forward"), "dead"]);

    sink.behave({});
    const replay = await api<{ event_id: string }>(`/events/${id}/replay`, "POST");
    expect(replay.status).toBe(202);
    await waitForState(id, "delivered");
    const deliveries = sink.deliveriesOf(id);
    expect(deliveries).toHaveLength(MAX_RETRIES + 2);
    expect(deliveries.at(-1)).toMatchObject({ status: 200, webhookId: id, svixVerified: true, specVerified: true });
    expectedRows.set(id, { state: "delivered", attempts: MAX_RETRIES + 2 });
  });

  it("D1 keeps each event's state, forward attempt count and seen_at", async () => {
    await receiver.stop();
    const ids = [...expectedRows.keys()].sort();
    expect(ids.length).toBeGreaterThanOrEqual(5);
    expect(d1Rows(ids).map((r) => [r.id, r.state, r.attempts, typeof r.seen_at])).toEqual(
      ids.map((id) => [id, expectedRows.get(id)?.state, expectedRows.get(id)?.attempts, "string"]),
    );
  });
});
