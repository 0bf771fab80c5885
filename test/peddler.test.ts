import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { peddlerFailedAttempt, peddlerOutForDelivery } from "./fixtures/peddler";
import { call } from "./helpers/post-webhook";

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
});
