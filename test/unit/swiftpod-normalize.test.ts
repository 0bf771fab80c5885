import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { normalizeSwiftpod, swiftpodEventKey } from "../../src/carriers/swiftpod/normalize-swiftpod";
import { swiftpodPayloadSchema } from "../../src/carriers/swiftpod/swiftpod-payload-schema";
import { swiftpodOrderStatus, swiftpodTrackingStatus } from "../../src/carriers/swiftpod/swiftpod-status";
import { verifySwiftpodSender } from "../../src/carriers/swiftpod/verify-swiftpod-sender";
import { parseConfig } from "../../src/config";
import { swiftpodOrderInProduction, swiftpodShipmentDelivered, swiftpodStockDiscontinued } from "../fixtures/swiftpod";

const parse = (body: unknown) => v.parse(swiftpodPayloadSchema, body);

describe("normalizeSwiftpod", () => {
  it("turns the documented delivered shipment_notify into its normalized draft", () => {
    expect(normalizeSwiftpod(parse(swiftpodShipmentDelivered))).toEqual({
      type: "shipment.status_changed",
      occurred_at: "2022-07-08T13:24:00.128Z",
      tracking_number: "9400100109361129278357",
      carrier_reference: "28002-A",
      status: "delivered",
      carrier_status: "delivered",
      reason: null,
      data: {
        id: 2,
        test_order: false,
        order_status: "shipped",
        tracking_url: swiftpodShipmentDelivered.event.tracking.tracking_url,
        carrier_code: "USPS",
        shipped_items: [{ order_item_id: "28002-A-001", quantity: 3 }],
      },
    });
  });

  it("prefers the primary tracking of an order, else the first with a number", () => {
    const [primary, other] = swiftpodShipmentDelivered.data.trackings;
    const order = (trackings: unknown[]) =>
      normalizeSwiftpod(
        parse({ ...swiftpodOrderInProduction, data: { ...swiftpodOrderInProduction.data, trackings } }),
      );
    expect(order([other, primary]).tracking_number).toBe(primary?.tracking_number);
    expect(order([{ ...other, primary: false }]).tracking_number).toBe(other?.tracking_number);
    expect(order([{ tracking_number: null }, other]).tracking_number).toBe(other?.tracking_number);
    expect(order([]).tracking_number).toBeNull();
  });

  it("accepts data.id as an integer or a string", () => {
    expect(normalizeSwiftpod(parse(swiftpodOrderInProduction)).data.id).toBe(585278);
    expect(normalizeSwiftpod(parse(swiftpodStockDiscontinued)).data.id).toBe("745626");
  });
});

describe("swiftpodEventKey", () => {
  it("is the event name and uuid", () => {
    expect(swiftpodEventKey(parse(swiftpodShipmentDelivered))).toBe(
      "shipment_notify:4e3f192a-c674-4de1-adb1-2f12e1adc62f",
    );
  });
});

describe("swiftpod status maps", () => {
  it("maps unlisted or prototype names to unknown", () => {
    expect(swiftpodOrderStatus("draft")).toBe("unknown");
    expect(swiftpodOrderStatus("toString")).toBe("unknown");
    expect(swiftpodTrackingStatus("hasOwnProperty")).toBe("unknown");
  });

  it("reads an absent or empty tracking status as the tracking-number notice", () => {
    expect(swiftpodTrackingStatus(undefined)).toBe("picked_up");
    expect(swiftpodTrackingStatus(null)).toBe("picked_up");
    expect(swiftpodTrackingStatus("")).toBe("picked_up");
  });
});

describe("verifySwiftpodSender", () => {
  const ctx = (query: string) => ({
    url: new URL(`https://parcelhook.test/webhooks/swiftpod${query}`),
    headers: new Headers(),
    clientIp: null,
  });
  const cfg = parseConfig({ SWIFTPOD_WEBHOOK_SECRET: "old-one, new-one" }).carriers.swiftpod;

  it("checks the `secret` query parameter against every listed secret", async () => {
    expect(await verifySwiftpodSender(ctx("?secret=old-one"), cfg)).toBe("ok");
    expect(await verifySwiftpodSender(ctx("?secret=new-one"), cfg)).toBe("ok");
    expect(await verifySwiftpodSender(ctx("?secret=old-one,new-one"), cfg)).toBe("unauthorized");
    expect(await verifySwiftpodSender(ctx(""), cfg)).toBe("unauthorized");
    expect(await verifySwiftpodSender(ctx("?secret=x"), parseConfig({}).carriers.swiftpod)).toBe("not_configured");
  });
});
