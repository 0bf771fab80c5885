import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { peddlerEventKey } from "../src/carriers/peddler/normalize-peddler";
import type { PeddlerPayload } from "../src/carriers/peddler/peddler-payload-schema";
import { storeEvent } from "../src/delivery/db/store-event";
import { dedupeKeys } from "../src/events/dedupe-keys";
import { newEventId } from "../src/events/new-event-id";
import type { NormalizedEvent } from "../src/events/normalized-event";
import { peddlerOutForDelivery } from "./fixtures/peddler";
import { call } from "./helpers/post-webhook";

const auth = { "x-webhook-shared-token": "test-peddler" };

function fresh(): PeddlerPayload {
  return { ...peddlerOutForDelivery, id: `shp_${crypto.randomUUID()}` } as PeddlerPayload;
}

describe("dedupe keys", () => {
  it("stores a short hashed key, the same for the same identity and different for another", async () => {
    const a = await dedupeKeys("peddler", "shp_1:500:2024-09-02T13:08:06.574Z");
    const again = await dedupeKeys("peddler", "shp_1:500:2024-09-02T13:08:06.574Z");
    const other = await dedupeKeys("peddler", "shp_1:501:2024-09-02T13:08:06.574Z");
    expect(a.key).toBe(again.key);
    expect(a.key).not.toBe(other.key);
    expect(a.key).toMatch(/^peddler#[A-Za-z0-9_-]{22}$/);
    expect(a.legacy).toBe("peddler:shp_1:500:2024-09-02T13:08:06.574Z");
  });

  it("a delivery stored with the hashed key: its retry is a duplicate of the first id", async () => {
    const body = fresh();
    const first = await (await call("/webhooks/peddler", body, { headers: auth })).json<{ event_id: string }>();
    const again = await call("/webhooks/peddler", body, { headers: auth });
    expect(await again.json()).toEqual({ status: "duplicate", event_id: first.event_id });
    const { key } = await dedupeKeys("peddler", peddlerEventKey(body));
    const row = await env.DB.prepare("SELECT id, duplicates FROM events WHERE dedupe_key = ?")
      .bind(key)
      .first<{ id: string; duplicates: number }>();
    expect(row).toEqual({ id: first.event_id, duplicates: 1 });
  });

  it("a carrier's retry of an event stored before the upgrade (legacy key) is still a duplicate", async () => {
    const body = fresh();
    const { legacy } = await dedupeKeys("peddler", peddlerEventKey(body));
    const old: NormalizedEvent = {
      id: newEventId(),
      carrier: "peddler",
      type: "shipment.status_changed",
      occurred_at: body.ts as string,
      received_at: new Date().toISOString(),
      tracking_number: null,
      carrier_reference: body.id as string,
      status: "out_for_delivery",
      carrier_status: null,
      reason: null,
      data: {},
    };
    // As the receiver stored it before keys were hashed: the plain `carrier:identity` key.
    await storeEvent(env.DB, { event: old, dedupeKey: legacy, rawBody: JSON.stringify(body), requestUrl: "/" });
    const retry = await call("/webhooks/peddler", body, { headers: auth });
    expect(retry.status).toBe(200);
    expect(await retry.json()).toEqual({ status: "duplicate", event_id: old.id });
    const rows = await env.DB.prepare("SELECT id, duplicates FROM events WHERE carrier_reference = ?")
      .bind(body.id)
      .all<{ id: string; duplicates: number }>();
    expect(rows.results).toEqual([{ id: old.id, duplicates: 1 }]);
  });
});
