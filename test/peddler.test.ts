import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import {
  PEDDLER_CODE_TABLE,
  PEDDLER_FAILED_STATUSES,
  peddlerEvent,
  peddlerFailedAttempt,
  peddlerOutForDelivery,
} from "./fixtures/peddler";
import { call } from "./helpers/post-webhook";
import { quarantinedBody, storedEvent } from "./helpers/stored-event";

const auth = { "x-webhook-shared-token": "test-peddler" };

describe("POST /webhooks/peddler", () => {
  it("accepts the documented failed attempt and stores the normalized event", async () => {
    const res = await call("/webhooks/peddler", peddlerFailedAttempt, { headers: auth });
    expect(res.status).toBe(200);
    const body = await res.json<{ status: string; event_id: string }>();
    expect(body.status).toBe("accepted");
    expect(body.event_id).toMatch(/^evt_[0-9A-Z]{26}$/);
    const row = await env.DB.prepare("SELECT * FROM events WHERE id = ?").bind(body.event_id).first();
    expect(row).toMatchObject({
      carrier: "peddler",
      type: "shipment.status_changed",
      status: "delivery_failed",
      carrier_status: "FAILED_ATTEMPT",
      reason: "CUSTOMER_NOT_PRESENT_NO_NEIGHBOURS",
      tracking_number: "P199684830307745678",
      carrier_reference: "fx6_ZSWp0RDc24csBqOj9",
      occurred_at: "2024-09-02T13:08:06.574Z",
      state: "queued",
    });
  });

  it("answers a retry of the same delivery 200 duplicate with the first id", async () => {
    const first = await (await call("/webhooks/peddler", peddlerOutForDelivery, { headers: auth })).json<{
      event_id: string;
    }>();
    const again = await call("/webhooks/peddler", peddlerOutForDelivery, { headers: auth });
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ status: "duplicate", event_id: first.event_id });
    const { n } = (await env.DB.prepare("SELECT count(*) AS n FROM events WHERE carrier_reference = ?")
      .bind(peddlerOutForDelivery.id)
      .first<{ n: number }>()) ?? { n: 0 };
    expect(n).toBe(1);
  });

  it("answers 401 for a wrong token", async () => {
    const res = await call("/webhooks/peddler", peddlerOutForDelivery, {
      headers: { "x-webhook-shared-token": "nope" },
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: { code: "unauthorized", message: expect.any(String) } });
  });

  it("answers 401 when the token header is missing, and stores nothing", async () => {
    const body = peddlerEvent("no-token", 100, "SHIPMENT_CONFIRMED");
    const res = await call("/webhooks/peddler", body);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: { code: "unauthorized", message: expect.any(String) } });
    expect(await countEvents("no-token")).toBe(0);
  });

  it("answers 401 for the token in the URL instead of the header", async () => {
    const res = await call("/webhooks/peddler", peddlerEvent("token-in-url", 100, "SHIPMENT_CONFIRMED"), {
      query: "?secret=test-peddler",
    });
    expect(res.status).toBe(401);
  });
});

async function countEvents(shipmentId: string): Promise<number> {
  const row = await env.DB.prepare("SELECT count(*) AS n FROM events WHERE carrier_reference = ?")
    .bind(shipmentId)
    .first<{ n: number }>();
  return row?.n ?? -1;
}

async function postAndRead(body: unknown) {
  const res = await call("/webhooks/peddler", body, { headers: auth });
  expect(res.status).toBe(200);
  const { event_id } = await res.json<{ event_id: string }>();
  const row = await storedEvent(event_id);
  if (!row) throw new Error(`no event ${event_id}`);
  return { ...row, data: JSON.parse(row.data) as Record<string, unknown> };
}

describe("POST /webhooks/peddler: every code of the table (carriers.md)", () => {
  it.each(PEDDLER_CODE_TABLE)("$code $status -> $canonical", async ({ code, status, canonical }) => {
    const row = await postAndRead(peddlerEvent(`table-${code}`, code, status));
    expect(row).toMatchObject({
      type: "shipment.status_changed",
      status: canonical,
      carrier_status: status,
      reason: null,
      carrier_reference: `table-${code}`,
    });
    expect(row.data.code).toBe(code);
  });

  it.each(Object.entries(PEDDLER_FAILED_STATUSES).map(([code, failed]) => ({ code: Number(code), failed })))(
    "$code FAILED_ATTEMPT -> delivery_failed, reason $failed",
    async ({ code, failed }) => {
      const row = await postAndRead(peddlerEvent(`failed-${code}`, code, "FAILED_ATTEMPT", { failedStatus: failed }));
      expect(row).toMatchObject({ status: "delivery_failed", carrier_status: "FAILED_ATTEMPT", reason: failed });
      expect(row.data.code).toBe(code);
    },
  );

  it("an unknown code and status is stored as status unknown, keeping Peddler's status and code", async () => {
    const row = await postAndRead(peddlerEvent("unknown-status", 1200, "SHIPMENT_TELEPORTED"));
    expect(row).toMatchObject({ status: "unknown", carrier_status: "SHIPMENT_TELEPORTED" });
    expect(row.data.code).toBe(1200);
  });

  it("keeps the GPS location of OUT_FOR_DELIVERY and DELIVERED", async () => {
    const location = { lat: 52.3409992, lng: 4.8236365 };
    const out = await postAndRead(peddlerEvent("gps", 410, "OUT_FOR_DELIVERY", { location }));
    const delivered = await postAndRead(
      peddlerEvent("gps", 500, "DELIVERED", { location: { lat: 52.35, lng: 4.83 }, ts: "2024-09-02T14:00:00.000Z" }),
    );
    expect(out.data.location).toEqual(location);
    expect(delivered.data.location).toEqual({ lat: 52.35, lng: 4.83 });
    expect(delivered.status).toBe("delivered");
  });

  it("answers 422 for `code` as a string (the docs insist on an integer) and quarantines it", async () => {
    const raw = JSON.stringify(peddlerEvent("string-code", "410" as unknown as number, "OUT_FOR_DELIVERY"));
    const res = await call("/webhooks/peddler", raw, { headers: auth });
    expect(res.status).toBe(422);
    const body = await res.json<{ error: { code: string; issues: { path: string; message: string }[] } }>();
    expect(body.error.code).toBe("invalid_payload");
    expect(body.error.issues.map((i) => i.path)).toEqual(["code"]);
    const q = await quarantinedBody("peddler", raw);
    expect(JSON.parse(q?.issues ?? "null")).toEqual(body.error.issues);
    expect(await countEvents("string-code")).toBe(0);
  });
});
