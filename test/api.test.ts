import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { CARRIERS } from "../src/carriers";
import consumer from "../src/consumer-worker";
import { storeQuarantine } from "../src/db/store-quarantine";
import { newQuarantineId } from "../src/events/new-event-id";
import type { NormalizedEvent } from "../src/events/normalized-event";
import { listEventsSql } from "../src/operator/db/list-events";
import type { EventFilter } from "../src/operator/query-schemas";
import { flushRejections } from "../src/rejections/count-rejection";
import { sweepUnqueued } from "../src/sweep/sweep-unqueued";
import { inpostStatusDelivered } from "./fixtures/inpost";
import { peddlerFailedAttempt, peddlerOutForDelivery } from "./fixtures/peddler";
import { swiftpodStockDiscontinued } from "./fixtures/swiftpod";
import { callWith as callApp } from "./helpers/call-with";
import { call } from "./helpers/post-webhook";
import { storedEvent as eventRow } from "./helpers/stored-event";
import { throwingD1 } from "./helpers/throwing-d1";

const admin = { authorization: "Bearer test-admin-token-0123456789abcdef0123" };
const peddlerAuth = { "x-webhook-shared-token": "test-peddler" };

type ApiEvent = NormalizedEvent & { state: string };
interface Page {
  events: ApiEvent[];
  next_cursor: string | null;
}
interface ErrorBody {
  error: { code: string; message: string; issues?: { path: string; message: string }[] };
}

let n = 0;
/** A Peddler delivery no other test sent: its own shipment id, tracking number and time. */
function peddler(over: Record<string, unknown> = {}) {
  n += 1;
  return {
    ...peddlerOutForDelivery,
    id: `api-${n}-${crypto.randomUUID()}`,
    ts: new Date(Date.UTC(2024, 0, 1, 0, n)).toISOString(),
    ...over,
  };
}

async function postPeddler(body: unknown): Promise<string> {
  const res = await call("/webhooks/peddler", body, { headers: peddlerAuth });
  expect(res.status).toBe(200);
  return (await res.json<{ event_id: string }>()).event_id;
}

function get<T>(path: string): Promise<T> {
  return call(path, undefined, { headers: admin }).then(async (res) => {
    expect(res.status, `${path}: ${await res.clone().text()}`).toBe(200);
    return res.json<T>();
  });
}

function trackingNumber(): string {
  return `TN${crypto.randomUUID().replaceAll("-", "").slice(0, 16).toUpperCase()}`;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits for something the real local queue consumer does about a second later. */
async function eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v) || Date.now() > deadline) return v;
    await sleep(100);
  }
}

describe("authentication", () => {
  it("answers 401 unauthorized without a token, with a wrong one, and with a malformed header", async () => {
    for (const headers of [
      {} as Record<string, string>,
      { authorization: "Bearer nope" },
      { authorization: "Basic dGVzdA==" },
      { authorization: "Bearer" },
      { authorization: "Bearer test-admin-token-0123456789abcdef0123 trailing" },
      { authorization: "Bearertest-admin-token-0123456789abcdef0123" },
    ]) {
      const res = await call("/api/events", undefined, { headers });
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ error: { code: "unauthorized", message: expect.any(String) } });
    }
  });

  it("takes the bearer scheme in any case (RFC 6750)", async () => {
    for (const authorization of [
      "Bearer test-admin-token-0123456789abcdef0123",
      "bearer test-admin-token-0123456789abcdef0123",
      "BEARER  test-admin-token-0123456789abcdef0123",
    ]) {
      const res = await call("/api/events", undefined, { headers: { authorization } });
      expect(res.status).toBe(200);
    }
  });

  it("guards every operator route, also unknown ones", async () => {
    const routes: [string, string][] = [
      ["GET", "/api/events"],
      ["GET", "/api/events/evt_x"],
      ["POST", "/api/events/evt_x/replay"],
      ["POST", "/api/replay"],
      ["GET", "/api/quarantine"],
      ["POST", "/api/quarantine/dlv_x/retry"],
      ["GET", "/api/shipments"],
      ["GET", "/api/shipments/X"],
      ["GET", "/api/stats"],
      ["GET", "/api/nothing-here"],
    ];
    for (const [method, path] of routes) {
      const res = await call(path, undefined, { method });
      expect(res.status, `${method} ${path}`).toBe(401);
    }
  });

  it("accepts every token of a comma-separated ADMIN_TOKEN (rotation)", async () => {
    for (const token of ["old-admin-token-0123456789abcdef0123", "new-admin-token-0123456789abcdef0123"]) {
      const res = await callApp(
        "/api/stats",
        { ADMIN_TOKEN: "old-admin-token-0123456789abcdef0123, new-admin-token-0123456789abcdef0123" },
        {
          headers: { authorization: `Bearer ${token}` },
        },
      );
      expect(res.status).toBe(200);
    }
    const res = await callApp(
      "/api/stats",
      { ADMIN_TOKEN: "old-admin-token-0123456789abcdef0123,new-admin-token-0123456789abcdef0123" },
      { headers: admin },
    );
    expect(res.status).toBe(401);
  });

  it("answers 503 admin_not_configured when ADMIN_TOKEN is unset, whatever the request carries", async () => {
    for (const value of [undefined, "", " , "]) {
      const res = await callApp("/api/events", { ADMIN_TOKEN: value }, { headers: admin });
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({ error: { code: "admin_not_configured", message: expect.any(String) } });
    }
  });
});

describe("the operator API while D1 fails (fault: a D1 binding that throws)", () => {
  const json = { ...admin, "content-type": "application/json" };
  const routes: [string, string, string?][] = [
    ["GET", "/api/events"],
    ["GET", "/api/events/evt_x"],
    ["GET", "/api/shipments"],
    ["GET", "/api/stats"],
    ["GET", "/api/destinations"],
    ["GET", "/api/audit"],
    ["POST", "/api/replay", JSON.stringify({ state: "dead", limit: 1 })],
    ["POST", "/api/events/evt_x/replay"],
  ];

  it("answers 503 storage_unavailable, so a script or the dashboard retries, never a bare 500", async () => {
    for (const [method, path, body] of routes) {
      const res = await callApp(path, { DB: throwingD1() }, { method, headers: json, body });
      expect(res.status, `${method} ${path}`).toBe(503);
      expect(await res.json(), `${method} ${path}`).toEqual({
        error: { code: "storage_unavailable", message: expect.any(String) },
      });
    }
  });

  it("keeps a failure that is not D1's (a bug of ours) a 500 internal_error", async () => {
    const res = await callApp(
      "/api/events",
      { DB: throwingD1(() => new TypeError("Cannot read properties of undefined")) },
      { headers: admin },
    );
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ error: { code: "internal_error", message: expect.any(String) } });
  });
});

describe("GET /api/events", () => {
  it("filters by carrier, type, status, tracking number, delivery state and time range", async () => {
    const tn = trackingNumber();
    const start = new Date().toISOString();
    const outId = await postPeddler(peddler({ carrierTrackingNumber: tn }));
    await sleep(5);
    const mid = new Date().toISOString();
    await sleep(5);
    const failedId = await postPeddler(peddlerFailedAttemptFor(tn));
    const other = await postPeddler(peddler({ carrierTrackingNumber: trackingNumber() }));

    const ids = async (query: string) => (await get<Page>(`/api/events?${query}`)).events.map((e) => e.id);

    expect(await ids(`tracking_number=${tn}`)).toEqual([failedId, outId]);
    expect(await ids(`tracking_number=${tn}&status=delivery_failed`)).toEqual([failedId]);
    expect(await ids(`tracking_number=${tn}&status=out_for_delivery`)).toEqual([outId]);
    expect(await ids(`tracking_number=${tn}&since=${mid}`)).toEqual([failedId]);
    expect(await ids(`tracking_number=${tn}&until=${mid}`)).toEqual([outId]);
    expect(await ids(`tracking_number=${tn}&carrier=peddler&type=shipment.status_changed`)).toEqual([failedId, outId]);
    expect(await ids(`tracking_number=${tn}&carrier=inpost`)).toEqual([]);
    expect(await ids(`tracking_number=${tn}&type=label.created`)).toEqual([]);
    const since = await ids(`since=${start}&carrier=peddler`);
    expect(since).toEqual(expect.arrayContaining([outId, failedId, other]));
    expect(since.indexOf(other)).toBeLessThan(since.indexOf(outId)); // newest first

    // The delivery state, as the real queue consumer leaves it (no FORWARD_URL in tests: stored).
    await eventually(
      () => eventRow(outId),
      (r) => r?.state === "stored",
    );
    expect(await ids(`tracking_number=${tn}&state=stored`)).toContain(outId);
    expect(await ids(`tracking_number=${tn}&state=dead`)).toEqual([]);

    const [first] = (await get<Page>(`/api/events?tracking_number=${tn}&status=delivery_failed`)).events;
    expect(first).toMatchObject({
      id: failedId,
      carrier: "peddler",
      type: "shipment.status_changed",
      tracking_number: tn,
      status: "delivery_failed",
      carrier_status: "FAILED_ATTEMPT",
      reason: "CUSTOMER_NOT_PRESENT_NO_NEIGHBOURS",
      state: expect.stringMatching(/^(queued|stored)$/),
      data: expect.objectContaining({ code: 601 }),
    });
  });

  it("filters across carriers by carrier, type and status (null status included in no status filter)", async () => {
    const start = new Date().toISOString();
    const stock = {
      ...swiftpodStockDiscontinued,
      event: { ...swiftpodStockDiscontinued.event, uuid: crypto.randomUUID() },
    };
    const stockRes = await call("/webhooks/swiftpod", stock, { query: "?secret=test-swiftpod" });
    expect(stockRes.status).toBe(200);
    const stockId = (await stockRes.json<{ event_id: string }>()).event_id;
    const inpost = {
      ...inpostStatusDelivered,
      payload: { ...inpostStatusDelivered.payload, shipment_id: 900_000 + n++, tracking_number: trackingNumber() },
    };
    const inpostRes = await call("/webhooks/inpost", inpost, { headers: { "cf-connecting-ip": "91.216.25.10" } });
    expect(inpostRes.status).toBe(200);
    const inpostId = (await inpostRes.json<{ event_id: string }>()).event_id;
    const peddlerId = await postPeddler(peddler({ carrierTrackingNumber: trackingNumber() }));

    const ids = async (query: string) =>
      (await get<Page>(`/api/events?since=${start}&${query}`)).events.map((e) => e.id);
    expect(await ids("carrier=swiftpod")).toEqual([stockId]);
    expect(await ids("carrier=inpost")).toEqual([inpostId]);
    expect(await ids("carrier=peddler")).toEqual([peddlerId]);
    expect(await ids("type=stock.status_changed")).toEqual([stockId]);
    expect(await ids("status=delivered")).toEqual([inpostId]);
    expect(await ids("limit=500")).toEqual([peddlerId, inpostId, stockId]);
    const [stockEvent] = (await get<Page>(`/api/events?since=${start}&carrier=swiftpod`)).events;
    expect(stockEvent).toMatchObject({ type: "stock.status_changed", status: null, tracking_number: null });
  });

  it("pages with a cursor that stays stable while newer events arrive (no duplicates, no gaps)", async () => {
    const tn = trackingNumber();
    const posted: string[] = [];
    for (let i = 0; i < 5; i++) posted.push(await postPeddler(peddler({ carrierTrackingNumber: tn })));

    const seen: string[] = [];
    let page = await get<Page>(`/api/events?tracking_number=${tn}&limit=2`);
    seen.push(...page.events.map((e) => e.id));
    const arrived: string[] = [];
    while (page.next_cursor) {
      // New deliveries between pages: they are newer than the cursor, so no page shifts.
      arrived.push(await postPeddler(peddler({ carrierTrackingNumber: tn })));
      page = await get<Page>(`/api/events?tracking_number=${tn}&limit=2&cursor=${page.next_cursor}`);
      expect(page.events.length).toBeGreaterThan(0);
      seen.push(...page.events.map((e) => e.id));
    }
    expect(seen).toEqual([...posted].reverse());
    expect(page.next_cursor).toBeNull();

    const fresh = await get<Page>(`/api/events?tracking_number=${tn}&limit=500`);
    expect(fresh.events.map((e) => e.id)).toEqual([...posted, ...arrived].reverse());
    expect(fresh.next_cursor).toBeNull();
  });

  it("answers 400 invalid_request with the issues for a bad filter", async () => {
    const cases: [string, string][] = [
      ["carrier=ups", "carrier"],
      ["status=lost", "status"],
      ["type=shipment", "type"],
      ["state=gone", "state"],
      ["since=yesterday", "since"],
      ["until=2024-13-01T00:00:00Z", "until"],
      ["limit=0", "limit"],
      ["limit=501", "limit"],
      ["limit=ten", "limit"],
      ["cursor=not-a-cursor", "cursor"],
      ["colour=red", "colour"],
    ];
    for (const [query, path] of cases) {
      const res = await call(`/api/events?${query}`, undefined, { headers: admin });
      expect(res.status, query).toBe(400);
      const body = await res.json<ErrorBody>();
      expect(body.error.code).toBe("invalid_request");
      expect(body.error.issues, query).toEqual(expect.arrayContaining([{ path, message: expect.any(String) }]));
    }
  });

  it("defaults to 50 events per page", async () => {
    const page = await get<Page>("/api/events");
    expect(page.events.length).toBeLessThanOrEqual(50);
  });

  it("answers every filter with one index range scan and no sort (EXPLAIN QUERY PLAN)", async () => {
    const filters: EventFilter[] = [
      {},
      { carrier: "peddler" },
      { type: "label.created" },
      { type: "shipment.status_changed" },
      { status: "delivered" },
      { status: "on_hold" },
      { tracking_number: "X" },
      { state: "dead" },
      { state: "delivered" },
      { since: "2024-01-01T00:00:00.000Z", until: "2025-01-01T00:00:00.000Z" },
      { carrier: "peddler", state: "dead", since: "2024-01-01T00:00:00.000Z" },
    ];
    for (const filter of filters) {
      for (const cursor of [undefined, { at: "2030-01-01T00:00:00.000Z", key: "10" }]) {
        const { sql, params } = listEventsSql(filter, { limit: 50, cursor });
        const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`)
          .bind(...params)
          .all<{ detail: string }>();
        const plan = results.map((r) => r.detail).join("; ");
        // SEARCH: a range of the index; SCAN ... USING INDEX (no filter at all): the index in list
        // order, stopped by LIMIT. Never a table scan, never a sort.
        expect(plan, JSON.stringify(filter)).toMatch(/^(SEARCH|SCAN) events USING INDEX events_\w+/);
        // A tracking number's few events are sorted (events_tracking holds no time: migrations/0011).
        if (filter.tracking_number === undefined) expect(plan).not.toMatch(/TEMP B-TREE/);
        else expect(plan).toMatch(/^SEARCH events USING INDEX events_tracking \(tracking_number=\?\)/);
        // The rare states are read from the partial index, `delivered` along events_received.
        if (filter.state === "dead") expect(plan).toMatch(/USING INDEX events_(state_received|carrier_received)/);
        if (filter.state === "delivered") expect(plan).not.toMatch(/events_state_received/);
        if (filter.type === "shipment.status_changed") expect(plan).not.toMatch(/events_type_received/);
        // The two common statuses are not in events_status_received (0011); the others are.
        if (filter.status === "delivered") expect(plan).not.toMatch(/events_status_received/);
        if (filter.status === "on_hold") expect(plan).toMatch(/USING INDEX events_status_received/);
        // `delivered` (state or status) or the tracking updates alone walk events_received in list
        // order (most rows match).
        const common =
          filter.state === "delivered" || filter.type === "shipment.status_changed" || filter.status === "delivered";
        if ((Object.keys(filter).length > 0 && !common) || cursor) expect(plan).toMatch(/^SEARCH/);
      }
    }
  });
});

function peddlerFailedAttemptFor(tn: string) {
  n += 1;
  return {
    ...peddlerFailedAttempt,
    id: `api-failed-${n}-${crypto.randomUUID()}`,
    carrierTrackingNumber: tn,
    ts: new Date(Date.UTC(2024, 0, 1, 0, n)).toISOString(),
  };
}

describe("GET /api/events/{id}", () => {
  it("answers the event, its raw body as received and its history", async () => {
    const body = peddler({ carrierTrackingNumber: trackingNumber(), extra: { kept: true } });
    const raw = JSON.stringify(body, null, 2);
    const res = await call("/webhooks/peddler", raw, { headers: peddlerAuth });
    const { event_id } = await res.json<{ event_id: string }>();

    const detail = await get<{
      event: ApiEvent;
      raw_body: string;
      raw_json: unknown;
      attempts: unknown[];
      replays: unknown[];
      request_url: string;
    }>(`/api/events/${event_id}`);
    expect(detail.event).toMatchObject({ id: event_id, carrier: "peddler", carrier_reference: body.id });
    expect(detail.raw_body).toBe(raw);
    expect(detail.raw_json).toEqual(body);
    expect(detail.request_url).toBe("https://parcelhook.test/webhooks/peddler");
    expect(detail.attempts).toEqual([]);
    expect(detail.replays).toEqual([]);
  });

  it("answers 404 not_found for an unknown id", async () => {
    const res = await call("/api/events/evt_00000000000000000000000000", undefined, { headers: admin });
    expect(res.status).toBe(404);
    expect((await res.json<ErrorBody>()).error.code).toBe("not_found");
  });
});

describe("replay", () => {
  it("queues the same event again: state reset, a replay in its history, and the consumer sees it", async () => {
    const id = await postPeddler(peddler({ carrierTrackingNumber: trackingNumber() }));
    const first = await eventually(
      () => eventRow(id),
      (r) => r?.state === "stored",
    );
    expect(first?.seen_at).not.toBeNull();

    const res = await call(`/api/events/${id}/replay`, undefined, { method: "POST", headers: admin });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ status: "queued", event_id: id });
    const queuedAgain = await eventRow(id);
    // Either still as replay left it, or the consumer already took it again.
    expect(queuedAgain?.state === "queued" ? queuedAgain.seen_at : null).toBeNull();

    // The consumer receives the replayed message (same id) and stores the event again.
    const after = await eventually(
      () => eventRow(id),
      (r) => r?.state === "stored" && r.seen_at !== null,
    );
    expect(after).toMatchObject({ state: "stored", enqueue_failed_at: null });
    expect(after?.seen_at).not.toBe(first?.seen_at);

    const detail = await get<{ replays: { replayed_at: string }[] }>(`/api/events/${id}`);
    expect(detail.replays).toHaveLength(1);
  });

  it("resets a replayed event to queued with no queue markers and flags a refused send for the sweep (fault: queue refuses)", async () => {
    const id = await postPeddler(peddler({ carrierTrackingNumber: trackingNumber() }));
    await eventually(
      () => eventRow(id),
      (r) => r?.state === "stored",
    );
    const refusing = {
      send: async () => {
        throw new Error("queue refused");
      },
      sendBatch: async () => {
        throw new Error("queue refused");
      },
    } as unknown as Queue;
    const res = await callApp(
      `/api/events/${id}/replay`,
      { EVENTS_QUEUE: refusing },
      { method: "POST", headers: admin },
    );
    expect(res.status).toBe(202);
    const row = await eventRow(id);
    expect(row).toMatchObject({ state: "queued", seen_at: null, swept_at: null });
    expect(row?.enqueue_failed_at).not.toBeNull();
  });

  it("does not let the sweep send a replay again while it is on its way", async () => {
    const id = await postPeddler({ ...peddlerOutForDelivery, id: `sweep-replay-${crypto.randomUUID()}` });
    const replayedAt = new Date();
    const res = await call(`/api/events/${id}/replay`, undefined, { method: "POST", headers: admin });
    expect(res.status).toBe(202);
    // An event received long ago, replayed, not yet seen by the consumer a minute later: the
    // replay counts as the last send, so the sweep leaves it alone.
    await env.DB.prepare("UPDATE events SET seen_at = NULL, received_at = '2020-01-01T00:00:00.000Z' WHERE id = ?")
      .bind(id)
      .run();
    await sweepUnqueued(env, new Date(replayedAt.getTime() + 60_000));
    const row = await eventRow(id);
    expect(row?.swept_at).not.toBeNull();
    expect(Date.parse(row?.swept_at ?? "")).toBeLessThan(replayedAt.getTime() + 60_000);
  });

  it("answers 404 for replaying an unknown event", async () => {
    const res = await call("/api/events/evt_nope/replay", undefined, { method: "POST", headers: admin });
    expect(res.status).toBe(404);
  });

  it("replays every dead event matching a filter, in capped calls continued by cursor", async () => {
    // Dead events the real way: the first send is refused (fault), the consumer is handed their
    // messages with an unreachable FORWARD_URL (fault), and the Worker's dead-letter consumer then
    // gets them.
    const tn = trackingNumber();
    const refusing = {
      send: async () => {
        throw new Error("queue refused");
      },
    } as unknown as Queue;
    const events: NormalizedEvent[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await callApp(
        "/webhooks/peddler",
        { EVENTS_QUEUE: refusing },
        {
          method: "POST",
          headers: peddlerAuth,
          body: JSON.stringify(peddler({ carrierTrackingNumber: tn })),
        },
      );
      expect(res.status).toBe(200);
      const { event_id } = await res.json<{ event_id: string }>();
      const { event } = await get<{ event: ApiEvent }>(`/api/events/${event_id}`);
      const { state, ...normalized } = event;
      expect(state).toBe("queued");
      events.push(normalized);
    }
    const tried = createMessageBatch<unknown>(
      "carrier-events",
      events.map((e, i) => ({
        id: `try-${tn}-${i}`,
        timestamp: new Date(),
        attempts: 1,
        body: { id: e.id, carrier: e.carrier },
      })),
    );
    await consumer.queue(tried, { ...env, FORWARD_URL: "http://127.0.0.1:1/hook" }, createExecutionContext());
    const dlq = createMessageBatch<NormalizedEvent>(
      "carrier-events-dlq",
      events.map((body, i) => ({ id: `dlq-${tn}-${i}`, timestamp: new Date(), attempts: 1, body })),
    );
    const ctx = createExecutionContext();
    await consumer.queue(dlq, env, ctx);
    await getQueueResult(dlq, ctx);
    const dead = await get<Page>(`/api/events?state=dead&tracking_number=${tn}`);
    expect(dead.events).toHaveLength(3);

    const first = await call("/api/replay", { state: "dead", tracking_number: tn, limit: 2 }, { headers: admin });
    expect(first.status).toBe(202);
    const firstBody = await first.json<{ replayed: number; next_cursor: string | null }>();
    expect(firstBody.replayed).toBe(2);
    expect(firstBody.next_cursor).toEqual(expect.any(String));
    const second = await call(
      "/api/replay",
      { state: "dead", tracking_number: tn, limit: 2, cursor: firstBody.next_cursor },
      { headers: admin },
    );
    expect(await second.json()).toEqual({ replayed: 1, next_cursor: null });

    // All three reach the queue again and the consumer stores them.
    for (const e of events) {
      const row = await eventually(
        () => eventRow(e.id),
        (r) => r?.state === "stored",
      );
      expect(row?.state).toBe("stored");
      const detail = await get<{ attempts: { kind: string }[]; replays: unknown[] }>(`/api/events/${e.id}`);
      expect(detail.attempts.map((a) => a.kind)).toEqual(["forward", "dead"]);
      expect(detail.replays).toHaveLength(1);
    }
    expect((await get<Page>(`/api/events?state=dead&tracking_number=${tn}`)).events).toEqual([]);
  });

  it("refuses a bulk replay without a filter, with a bad filter, or not sent as JSON", async () => {
    const cases: [unknown, Record<string, string>, string][] = [
      [{}, {}, "$"],
      // Paging is not a filter: these would replay the newest events of every carrier.
      [{ limit: 1 }, {}, "$"],
      [{ limit: 500, cursor: null }, {}, "cursor"],
      [{ state: "lost" }, {}, "state"],
      [{ state: "dead", limit: 501 }, {}, "limit"],
      [{ state: "dead" }, { "content-type": "text/plain" }, "$"],
    ];
    for (const [body, headers, path] of cases) {
      const res = await call("/api/replay", body, { headers: { ...admin, ...headers } });
      expect(res.status, JSON.stringify(body)).toBe(400);
      const err = await res.json<ErrorBody>();
      expect(err.error.code).toBe("invalid_request");
      expect(err.error.issues?.map((i) => i.path)).toContain(path);
    }
  });
});

describe("quarantine", () => {
  it("lists deliveries that failed validation and answers 422 with the issues when a retry still fails", async () => {
    const bad = peddler({ code: "410" });
    const res = await call("/webhooks/peddler", bad, { headers: peddlerAuth });
    expect(res.status).toBe(422);

    const page = await get<{
      deliveries: { id: string; carrier: string; raw_body: string; raw_json: unknown; issues: { path: string }[] }[];
      next_cursor: string | null;
    }>("/api/quarantine?carrier=peddler");
    const row = page.deliveries.find((d) => (d.raw_json as { id: string }).id === bad.id);
    expect(row).toMatchObject({ carrier: "peddler", raw_body: JSON.stringify(bad), issues: [{ path: "code" }] });

    const retry = await call(`/api/quarantine/${row?.id}/retry`, undefined, { method: "POST", headers: admin });
    expect(retry.status).toBe(422);
    const err = await retry.json<ErrorBody>();
    expect(err.error.code).toBe("invalid_payload");
    expect(err.error.issues).toEqual([{ path: "code", message: expect.any(String) }]);
  });

  it("turns a delivery that validates now into an event, queued, and resolves the quarantine row", async () => {
    // A delivery an earlier, stricter schema refused (the only row this file writes by hand: the
    // schema cannot change inside a test).
    const body = peddler({ carrierTrackingNumber: trackingNumber() });
    const id = newQuarantineId();
    await storeQuarantine(env.DB, {
      id,
      carrier: "peddler",
      receivedAt: "2024-05-01T10:00:00.000Z",
      requestUrl: "https://parcelhook.test/webhooks/peddler",
      rawBody: JSON.stringify(body),
      issues: [{ path: "status", message: "Invalid type" }],
    });

    const res = await call(`/api/quarantine/${id}/retry`, undefined, { method: "POST", headers: admin });
    expect(res.status).toBe(200);
    const retried = await res.json<{ event: ApiEvent; duplicate: boolean }>();
    expect(retried.duplicate).toBe(false);
    expect(retried.event).toMatchObject({
      carrier: "peddler",
      carrier_reference: body.id,
      received_at: "2024-05-01T10:00:00.000Z",
      status: "out_for_delivery",
      state: "queued",
    });
    const stored = await eventually(
      () => eventRow(retried.event.id),
      (r) => r?.state === "stored",
    );
    expect(stored?.seen_at).not.toBeNull();

    const page = await get<{ deliveries: { id: string; resolved_event_id: string | null }[] }>(
      "/api/quarantine?limit=500",
    );
    expect(page.deliveries.find((d) => d.id === id)?.resolved_event_id).toBe(retried.event.id);

    const again = await call(`/api/quarantine/${id}/retry`, undefined, { method: "POST", headers: admin });
    expect(await again.json()).toMatchObject({ duplicate: true, event: { id: retried.event.id } });
  });

  it("pages the quarantine with a cursor", async () => {
    for (let i = 0; i < 3; i++) {
      expect((await call("/webhooks/peddler", peddler({ ts: "not a time" }), { headers: peddlerAuth })).status).toBe(
        422,
      );
    }
    const all: { id: string; received_at: string }[] = [];
    let cursor = "";
    for (;;) {
      const page = await get<{ deliveries: { id: string; received_at: string }[]; next_cursor: string | null }>(
        `/api/quarantine?limit=2${cursor ? `&cursor=${cursor}` : ""}`,
      );
      all.push(...page.deliveries);
      if (!page.next_cursor) break;
      cursor = page.next_cursor;
    }
    const whole = await get<{ deliveries: { id: string }[] }>("/api/quarantine?limit=500");
    expect(all.map((d) => d.id)).toEqual(whole.deliveries.map((d) => d.id));
    expect(all.length).toBeGreaterThanOrEqual(3);
    expect(new Set(all.map((d) => d.id)).size).toBe(all.length);
    const times = all.map((d) => d.received_at);
    expect([...times].sort().reverse()).toEqual(times); // newest first
  });

  it("answers 404 for retrying an unknown delivery", async () => {
    const res = await call("/api/quarantine/dlv_nope/retry", undefined, { method: "POST", headers: admin });
    expect(res.status).toBe(404);
  });
});

describe("GET /api/shipments/{tracking_number}", () => {
  it("answers the current status from the consumer and the timeline in carrier time order", async () => {
    const tn = trackingNumber();
    const ref = `api-ship-${crypto.randomUUID()}`;
    const at = (h: number) => new Date(Date.UTC(2024, 8, 2, h)).toISOString();
    // Delivered last in carrier time, but posted first: the timeline follows the carrier's clock.
    const delivered = await postPeddler(
      peddler({ id: ref, carrierTrackingNumber: tn, status: "DELIVERED", code: 500, ts: at(15) }),
    );
    const confirmed = await postPeddler(
      peddler({ id: ref, carrierTrackingNumber: tn, status: "SHIPMENT_CONFIRMED", code: 100, ts: at(9) }),
    );
    const out = await postPeddler(peddler({ id: ref, carrierTrackingNumber: tn, code: 410, ts: at(12) }));

    const shipment = await eventually(
      () => get<{ status: string | null; timeline: ApiEvent[] }>(`/api/shipments/${tn}`),
      (s) => s.status !== null && s.timeline.every((e) => e.state === "stored"),
    );
    expect(shipment).toMatchObject({
      tracking_number: tn,
      carrier: "peddler",
      status: "delivered",
      carrier_status: "DELIVERED",
      last_event_at: at(15),
    });
    expect(shipment.timeline.map((e) => e.id)).toEqual([confirmed, out, delivered]);
    expect(shipment.timeline.map((e) => e.status)).toEqual(["pending", "out_for_delivery", "delivered"]);
  });

  it("answers 404 not_found for an unknown tracking number", async () => {
    const res = await call("/api/shipments/NOPE-NEVER-SEEN", undefined, { headers: admin });
    expect(res.status).toBe(404);
    expect((await res.json<ErrorBody>()).error.code).toBe("not_found");
  });
});

describe("GET /api/stats", () => {
  it("counts events by carrier, type, status and state, and rejected requests by reason", async () => {
    const since = new Date().toISOString();
    await postPeddler(peddler({ carrierTrackingNumber: trackingNumber() }));
    await postPeddler(peddlerFailedAttemptFor(trackingNumber()));
    expect((await call("/webhooks/peddler", peddler(), { headers: { "x-webhook-shared-token": "old" } })).status).toBe(
      401,
    );
    expect((await call("/webhooks/peddler", "{", { headers: peddlerAuth })).status).toBe(400);

    type Stats = {
      since: string;
      events: { total: number; by_carrier: Record<string, number>; by_status: Record<string, number> } & Record<
        string,
        Record<string, number> | number
      >;
      events_per_hour: { hour: string; carrier: string; count: number }[];
      rejections: { total: number; by_reason: { status: number; code: string; carrier: string; count: number }[] };
    };
    // Rejections are counted per isolate and written now and then (waitUntil): write them now.
    await flushRejections(env.DB);
    const stats = await eventually(
      () => get<Stats>(`/api/stats?since=${since}`),
      (s) => s.rejections.total >= 2,
    );
    expect(stats.since).toBe(since);
    expect(stats.events.total).toBe(2);
    expect(stats.events.by_carrier).toEqual({ peddler: 2 });
    expect(stats.events.by_type).toEqual({ "shipment.status_changed": 2 });
    expect(stats.events.by_status).toEqual({ out_for_delivery: 1, delivery_failed: 1 });
    expect(Object.values(stats.events.by_state as Record<string, number>).reduce((a, b) => a + b)).toBe(2);
    expect(stats.events_per_hour).toEqual([{ hour: `${since.slice(0, 13)}:00:00Z`, carrier: "peddler", count: 2 }]);
    expect(stats.rejections.by_reason).toEqual(
      expect.arrayContaining([
        { status: 401, code: "unauthorized", carrier: "peddler", count: 1 },
        { status: 400, code: "malformed_json", carrier: "peddler", count: 1 },
      ]),
    );
  });

  it("answers 400 for a bad since", async () => {
    const res = await call("/api/stats?since=last-week", undefined, { headers: admin });
    expect(res.status).toBe(400);
  });
});

describe("the API's description", () => {
  it("serves an OpenAPI document generated from the schemas, without the token", async () => {
    const res = await call("/api/openapi.json");
    expect(res.status).toBe(200);
    const doc = await res.json<{
      openapi: string;
      servers: { url: string }[];
      paths: Record<
        string,
        Record<string, { parameters?: { name: string; in: string; schema: { enum?: string[] } }[] }>
      >;
    }>();
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.servers).toEqual([{ url: "/api" }]);
    expect(Object.keys(doc.paths).sort()).toEqual(
      [
        "/audit",
        "/audit/sign-in-failures",
        "/destinations",
        "/destinations/{id}",
        "/destinations/{id}/replay",
        "/destinations/{id}/rotate-secret",
        "/events",
        "/events/{id}",
        "/events/{id}/replay",
        "/keys",
        "/keys/{id}",
        "/quarantine",
        "/quarantine/{id}/retry",
        "/replay",
        "/shipments",
        "/shipments/{tracking_number}",
        "/stats",
      ].sort(),
    );
    const params = doc.paths["/events"]?.get?.parameters ?? [];
    expect(params.map((p) => p.name).sort()).toEqual(
      ["carrier", "cursor", "limit", "since", "state", "status", "tracking_number", "type", "until"].sort(),
    );
    // Every registered carrier, in the registry's (name) order.
    expect(params.find((p) => p.name === "carrier")?.schema.enum).toEqual(CARRIERS);
    expect(CARRIERS).toEqual(expect.arrayContaining(["inpost", "swiftpod", "postmen", "peddler"]));
  });

  it("serves a reference page for it", async () => {
    const res = await call("/api/docs");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/text\/html/);
    expect(await res.text()).toContain("/api/openapi.json");
  });
});
