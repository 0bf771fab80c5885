import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { swiftpodEventKey } from "../src/carriers/swiftpod/normalize-swiftpod";
import type { SwiftpodPayload } from "../src/carriers/swiftpod/swiftpod-payload-schema";
import { dedupeKeys } from "../src/events/dedupe-keys";
import {
  swiftpodOrderInProduction,
  swiftpodOrderRejected,
  swiftpodShipmentDelivered,
  swiftpodStockDiscontinued,
  swiftpodTrackingAssigned,
} from "./fixtures/swiftpod";
import { callWith } from "./helpers/call-with";
import { call } from "./helpers/post-webhook";
import { quarantinedBody, type StoredEvent, storedEvent } from "./helpers/stored-event";

const secret = "?secret=test-swiftpod";

interface Accepted {
  status: string;
  event_id: string;
}

function post(body: unknown, query = secret): Promise<Response> {
  return call("/webhooks/swiftpod", body, { query });
}

/** The Worker's own fetch with some vars changed: configuration, not a stand-in for any binding. */
function postWith(overrides: Partial<Env>, body: unknown, query = secret): Promise<Response> {
  return callWith(`/webhooks/swiftpod${query}`, overrides, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

async function eventRow(id: string): Promise<StoredEvent> {
  const row = await storedEvent(id);
  if (!row) throw new Error(`no event ${id}`);
  return row;
}

async function countEvents(): Promise<number> {
  return (await env.DB.prepare("SELECT count(*) AS n FROM events WHERE carrier = 'swiftpod'").first<number>("n")) ?? 0;
}

async function accept(body: unknown, query = secret): Promise<StoredEvent> {
  const res = await post(body, query);
  expect(res.status).toBe(200);
  const answer = await res.json<Accepted>();
  expect(answer.status).toBe("accepted");
  return eventRow(answer.event_id);
}

let n = 0;
function uuid(): string {
  n += 1;
  return `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
}

function orderEvent(status: string, extra: Record<string, unknown> = {}) {
  return {
    event: { ...swiftpodOrderInProduction.event, uuid: uuid(), status },
    data: { ...swiftpodOrderInProduction.data, status, ...extra },
  };
}

function shipmentEvent(trackingStatus: string | undefined, timestamp = swiftpodShipmentDelivered.event.timestamp) {
  const { tracking_status: _, ...tracking } = swiftpodShipmentDelivered.event.tracking;
  return {
    event: {
      ...swiftpodShipmentDelivered.event,
      uuid: uuid(),
      timestamp,
      tracking: trackingStatus === undefined ? tracking : { ...tracking, tracking_status: trackingStatus },
    },
    data: swiftpodShipmentDelivered.data,
  };
}

describe("POST /webhooks/swiftpod: the documented examples", () => {
  it("stores the delivered shipment_notify with its tracking details and leaves it queued", async () => {
    const row = await accept(swiftpodShipmentDelivered);
    expect(row).toMatchObject({
      type: "shipment.status_changed",
      status: "delivered",
      carrier_status: "delivered",
      tracking_number: "9400100109361129278357",
      carrier_reference: "28002-A",
      occurred_at: "2022-07-08T13:24:00.128Z",
      reason: null,
      state: "queued",
      enqueue_failed_at: null,
    });
    expect(JSON.parse(row.data)).toMatchObject({
      id: 2,
      tracking_url: swiftpodShipmentDelivered.event.tracking.tracking_url,
      carrier_code: "USPS",
      shipped_items: [{ order_item_id: "28002-A-001", quantity: 3 }],
    });
  });

  it("stores the tracking-number notice (no tracking status) as picked_up", async () => {
    const row = await accept(swiftpodTrackingAssigned);
    expect(row).toMatchObject({
      type: "shipment.status_changed",
      status: "picked_up",
      carrier_status: "shipment_notify",
      tracking_number: "9400100109361129278357",
      occurred_at: "2022-07-07T18:02:11.504Z",
    });
  });

  it("stores order_notify in_production as a pending order change with an integer id", async () => {
    const row = await accept(swiftpodOrderInProduction);
    expect(row).toMatchObject({
      type: "order.status_changed",
      status: "pending",
      carrier_status: "in_production",
      tracking_number: null,
      carrier_reference: "OD-123",
      occurred_at: "2022-07-08T11:11:14.797Z",
      reason: null,
    });
    expect(JSON.parse(row.data).id).toBe(585278);
  });

  it("stores a rejected order as cancelled with rejected_status as the reason and a string id", async () => {
    const row = await accept(swiftpodOrderRejected);
    expect(row).toMatchObject({ status: "cancelled", carrier_status: "rejected", reason: "invalid_artwork" });
    expect(JSON.parse(row.data)).toMatchObject({ id: "585279", rejected_status: "invalid_artwork" });
  });

  it("stores stock_notify with no status, the SKU as reference and the product's details", async () => {
    const row = await accept(swiftpodStockDiscontinued);
    expect(row).toMatchObject({
      type: "stock.status_changed",
      status: null,
      carrier_status: "discontinued",
      tracking_number: null,
      carrier_reference: "UNPT1K00M",
      occurred_at: "2022-07-08T13:24:00.128Z",
    });
    expect(JSON.parse(row.data)).toMatchObject({
      id: "745626",
      name: "BELLA",
      stock: 10,
      print_areas: ["front", "back"],
    });
  });
});

// carriers.md "SwiftPOD", written out again here so the test can disagree with the code.
const ORDER_ROWS = [
  ["new_order", "pending"],
  ["in_production", "pending"],
  ["on_hold", "on_hold"],
  ["cancelled", "cancelled"],
  ["in_production_cancelled", "cancelled"],
  ["rejected", "cancelled"],
  ["shipped", "picked_up"],
  ["teleported", "unknown"],
] as const;

const TRACKING_ROWS = [
  ["in_transit", "in_transit", "in_transit"],
  ["delivered", "delivered", "delivered"],
  ["out_for_delivery", "unknown", "out_for_delivery"],
  [undefined, "picked_up", "shipment_notify"],
] as const;

describe("POST /webhooks/swiftpod: every status of carriers.md", () => {
  it.each(ORDER_ROWS)("order %s -> %s, carrier status kept", async (carrierStatus, canonical) => {
    const row = await accept(orderEvent(carrierStatus, { rejected_status: "ip_violation" }));
    expect(row).toMatchObject({ type: "order.status_changed", status: canonical, carrier_status: carrierStatus });
    // rejected_status explains a cancellation only.
    expect(row.reason).toBe(canonical === "cancelled" ? "ip_violation" : null);
  });

  it.each(TRACKING_ROWS)("tracking %s -> %s (carrier status %s)", async (trackingStatus, canonical, carrierStatus) => {
    const row = await accept(shipmentEvent(trackingStatus));
    expect(row).toMatchObject({ type: "shipment.status_changed", status: canonical, carrier_status: carrierStatus });
  });

  it.each(["in_stock", "out_of_stock", "discontinued"])("stock %s is kept as the carrier status", async (status) => {
    const row = await accept({
      event: { ...swiftpodStockDiscontinued.event, uuid: uuid() },
      data: { ...swiftpodStockDiscontinued.data, status },
    });
    expect(row).toMatchObject({ type: "stock.status_changed", status: null, carrier_status: status });
  });

  it("takes the order's tracking number from data.trackings once it has one", async () => {
    const row = await accept(orderEvent("shipped", { trackings: swiftpodShipmentDelivered.data.trackings }));
    expect(row.tracking_number).toBe("9400100109361129278357");
  });

  it("stores an unknown event name as type unknown, never 422", async () => {
    const row = await accept({
      event: { uuid: uuid(), name: "invoice_notify", status: "paid", timestamp: "2024-01-02T03:04:05.123456Z" },
      data: { id: 9, order_id: "OD-9", amount: 12.5 },
    });
    expect(row).toMatchObject({
      type: "unknown",
      status: null,
      carrier_status: "paid",
      carrier_reference: "OD-9",
      state: "queued",
      enqueue_failed_at: null,
    });
    expect(JSON.parse(row.data)).toMatchObject({ event: "invoice_notify", payload: { amount: 12.5 } });
  });
});

describe("POST /webhooks/swiftpod: time", () => {
  it.each([
    ["2022-07-08T13:24:00.128774Z", "2022-07-08T13:24:00.128Z"],
    ["2022-07-08T13:24:00.999999Z", "2022-07-08T13:24:00.999Z"],
    ["2022-07-08T13:24:00Z", "2022-07-08T13:24:00.000Z"],
    ["2022-07-08T09:24:00.128774-04:00", "2022-07-08T13:24:00.128Z"],
    ["2022-07-09T00:24:00.5+11:00", "2022-07-08T13:24:00.500Z"],
  ])("timestamp %s -> occurred_at %s", async (timestamp, iso) => {
    const row = await accept(shipmentEvent("in_transit", timestamp));
    expect(row.occurred_at).toBe(iso);
  });
});

describe("POST /webhooks/swiftpod: the URL secret", () => {
  it.each([
    ["no secret", ""],
    ["a wrong secret", "?secret=nope"],
    ["an empty secret", "?secret="],
    ["a secret in the wrong parameter", "?token=test-swiftpod"],
    ["a prefix of the secret", "?secret=test-swift"],
  ])("answers 401 for %s and stores nothing", async (_label, query) => {
    const before = await countEvents();
    const res = await post(shipmentEvent("delivered"), query);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: { code: "unauthorized", message: expect.any(String) } });
    expect(await countEvents()).toBe(before);
  });

  it("does not take the secret from a header", async () => {
    const res = await call("/webhooks/swiftpod", shipmentEvent("delivered"), { headers: { secret: "test-swiftpod" } });
    expect(res.status).toBe(401);
  });

  it.each(["test-swiftpod-old", "test-swiftpod"])("accepts either secret of a rotation list (%s)", async (s) => {
    await accept(shipmentEvent("delivered"), `?secret=${s}`);
  });

  it("answers 503 carrier_not_configured when SWIFTPOD_WEBHOOK_SECRET is unset", async () => {
    const res = await postWith({ SWIFTPOD_WEBHOOK_SECRET: undefined }, shipmentEvent("delivered"));
    expect(res.status).toBe(503);
    expect((await res.json<{ error: { code: string } }>()).error.code).toBe("carrier_not_configured");
    const blank = await postWith({ SWIFTPOD_WEBHOOK_SECRET: " , " }, shipmentEvent("delivered"));
    expect(blank.status).toBe(503);
  });

  it("stores the request URL without the secret, keeping other parameters", async () => {
    const row = await accept(shipmentEvent("delivered"), "?src=prod&secret=test-swiftpod");
    expect(row.request_url).toBe("https://parcelhook.test/webhooks/swiftpod?src=prod");
    expect(row.request_url).not.toContain("test-swiftpod");
  });
});

describe("POST /webhooks/swiftpod: duplicates", () => {
  it("answers the same uuid twice 200 duplicate with the first id, whichever secret the retry used", async () => {
    const body = shipmentEvent("in_transit");
    const first = await (await post(body, "?secret=test-swiftpod-old")).json<Accepted>();
    const again = await post(body, "?secret=test-swiftpod");
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ status: "duplicate", event_id: first.event_id });
    const { key } = await dedupeKeys("swiftpod", swiftpodEventKey(body as SwiftpodPayload));
    const count = await env.DB.prepare("SELECT count(*) AS n FROM events WHERE dedupe_key = ?")
      .bind(key)
      .first<number>("n");
    expect(count).toBe(1);
  });

  it("keeps a stock and a shipment event apart although they share a uuid (SwiftPOD's docs show one on both)", async () => {
    expect(swiftpodStockDiscontinued.event.uuid).toBe(swiftpodShipmentDelivered.event.uuid);
    const shared = uuid();
    const shipment = shipmentEvent("delivered");
    const stock = { event: { ...swiftpodStockDiscontinued.event, uuid: shared }, data: swiftpodStockDiscontinued.data };
    const a = await (await post({ ...shipment, event: { ...shipment.event, uuid: shared } })).json<Accepted>();
    const b = await (await post(stock)).json<Accepted>();
    expect([a.status, b.status]).toEqual(["accepted", "accepted"]);
    expect(b.event_id).not.toBe(a.event_id);
  });
});

describe("POST /webhooks/swiftpod: invalid payloads", () => {
  async function quarantined(body: unknown) {
    const res = await post(body);
    expect(res.status).toBe(422);
    const answer = await res.json<{ error: { code: string; issues: { path: string; message: string }[] } }>();
    expect(answer.error.code).toBe("invalid_payload");
    const row = await quarantinedBody("swiftpod", JSON.stringify(body));
    expect(row).not.toBeNull();
    expect(JSON.parse(row?.issues ?? "[]")).toEqual(answer.error.issues);
    expect(row?.request_url).not.toContain("secret");
    return answer.error.issues;
  }

  it("quarantines a missing uuid and a timestamp without a zone, naming both paths", async () => {
    const before = await countEvents();
    const issues = await quarantined({
      event: { name: "order_notify", status: "shipped", timestamp: "2022-07-08 13:24:00" },
      data: { id: 1, order_id: "OD-1" },
    });
    expect(issues.map((i) => i.path).sort()).toEqual(["event.timestamp", "event.uuid"]);
    for (const issue of issues) expect(issue.message).toEqual(expect.any(String));
    expect(await countEvents()).toBe(before);
  });

  it("quarantines an order_notify without a status at event.status", async () => {
    const issues = await quarantined({
      event: { uuid: uuid(), name: "order_notify", timestamp: "2022-07-08T11:11:14.797781Z" },
      data: { id: 1, order_id: "OD-1" },
    });
    expect(issues).toEqual([{ path: "event.status", message: expect.stringContaining("status") }]);
  });

  it("quarantines a data.id that is neither an integer nor a string", async () => {
    const issues = await quarantined({
      event: { uuid: uuid(), name: "order_notify", status: "shipped", timestamp: "2022-07-08T11:11:14.797781Z" },
      data: { id: 1.5, order_id: "OD-1" },
    });
    expect(issues.map((i) => i.path)).toEqual(["data.id"]);
  });

  it("quarantines a stock_notify without a SKU at data.sku", async () => {
    const issues = await quarantined({
      event: { uuid: uuid(), name: "stock_notify", timestamp: "2022-07-08T13:24:00.128774Z" },
      data: { id: "1", status: "in_stock" },
    });
    expect(issues.map((i) => i.path)).toEqual(["data.sku"]);
  });
});

describe("POST /webhooks/swiftpod: queueing", () => {
  it("still answers 200 and flags the event for the sweep when the send fails (fault: queue refuses)", async () => {
    const refusing = {
      send: () => Promise.reject(new Error("queue refused")),
      sendBatch: () => Promise.reject(new Error("queue refused")),
    } as unknown as Queue;
    const res = await postWith({ EVENTS_QUEUE: refusing }, shipmentEvent("delivered"));
    expect(res.status).toBe(200);
    const row = await eventRow((await res.json<Accepted>()).event_id);
    expect(row.state).toBe("queued");
    expect(row.enqueue_failed_at).not.toBeNull();
  });
});
