import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { inpostPayloadSchema } from "../../src/carriers/inpost/inpost-payload-schema";
import { INPOST_STATUSES, inpostStatus } from "../../src/carriers/inpost/inpost-status";
import { inpostEventKey, normalizeInpost } from "../../src/carriers/inpost/normalize-inpost";
import { verifyInpostSender } from "../../src/carriers/inpost/verify-inpost-sender";
import { parseConfig } from "../../src/config";
import { inpostOffersPrepared, inpostShipmentConfirmed, inpostStatusDelivered } from "../fixtures/inpost";

const parse = (body: unknown) => v.parse(inpostPayloadSchema, body);

describe("normalizeInpost", () => {
  it("turns shipment_confirmed into the documented normalized draft", () => {
    expect(normalizeInpost(parse(inpostShipmentConfirmed))).toEqual({
      type: "shipment.status_changed",
      occurred_at: "2020-03-20T14:08:06.000Z",
      tracking_number: "602677439331630337653846",
      carrier_reference: "49",
      status: "pending",
      carrier_status: "shipment_confirmed",
      reason: null,
      data: { event: "shipment_confirmed", organization_id: 1 },
    });
  });

  it("keeps an unknown status as the carrier status beside `unknown`", () => {
    const draft = normalizeInpost(
      parse({ ...inpostStatusDelivered, payload: { ...inpostStatusDelivered.payload, status: "beamed_up" } }),
    );
    expect(draft).toMatchObject({ status: "unknown", carrier_status: "beamed_up" });
  });

  it("offers_prepared carries the offers", () => {
    const draft = normalizeInpost(parse(inpostOffersPrepared));
    expect(draft.type).toBe("shipment.offers_prepared");
    expect(draft.data.offers).toHaveLength(2);
  });
});

describe("inpostEventKey", () => {
  it("is the event, shipment, status and the instant in UTC", () => {
    expect(inpostEventKey(parse(inpostStatusDelivered))).toBe(
      "shipment_status_changed:49:delivered:2020-03-20T14:08:42.000Z",
    );
    expect(inpostEventKey(parse({ ...inpostStatusDelivered, event_ts: "2020-03-20 14:08:42 +0000" }))).toBe(
      inpostEventKey(parse(inpostStatusDelivered)),
    );
  });
});

describe("inpostStatus", () => {
  it("knows exactly the 53 documented names", () => {
    expect(Object.keys(INPOST_STATUSES)).toHaveLength(53);
  });

  it("maps names it does not know, including prototype names, to unknown", () => {
    expect(inpostStatus("constructor")).toBe("unknown");
    expect(inpostStatus("__proto__")).toBe("unknown");
    expect(inpostStatus("")).toBe("unknown");
  });
});

describe("verifyInpostSender", () => {
  const ctx = (clientIp: string | null, headers: Record<string, string> = {}) => ({
    url: new URL("https://parcelhook.test/webhooks/inpost"),
    headers: new Headers(headers),
    clientIp,
  });
  const cfg = parseConfig({ INPOST_ALLOWED_CIDRS: "91.216.25.0/24" }).carriers.inpost;
  const unset = parseConfig({}).carriers.inpost;

  it("decides on clientIp alone", async () => {
    expect(await verifyInpostSender(ctx("91.216.25.7"), cfg)).toBe("ok");
    expect(await verifyInpostSender(ctx(null, { "x-forwarded-for": "91.216.25.7" }), cfg)).toBe("forbidden");
    expect(await verifyInpostSender(ctx("8.8.8.8", { "x-real-ip": "91.216.25.7" }), cfg)).toBe("forbidden");
  });

  it("uses InPost's documented range when the var is unset", async () => {
    expect(await verifyInpostSender(ctx("91.216.25.7"), unset)).toBe("ok");
    expect(await verifyInpostSender(ctx("91.216.24.7"), unset)).toBe("forbidden");
  });
});
