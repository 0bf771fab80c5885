import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { fedexPayloadSchema } from "../../src/carriers/fedex/fedex-payload-schema";
import { fedexStatus } from "../../src/carriers/fedex/fedex-status";
import { fedexEventKey, normalizeFedex } from "../../src/carriers/fedex/normalize-fedex";
import { verifyFedexBody, verifyFedexSender } from "../../src/carriers/fedex/verify-fedex-sender";
import vector from "../fixtures/carriers/fedex/vector-delivered.json";

const envelope = (result: Record<string, unknown>, tn = "794843185271") =>
  v.parse(fedexPayloadSchema, { output: { completeTrackResults: [{ trackingNumber: tn, trackResults: [result] }] } });

describe("fedexStatus (carriers-next.md section 8)", () => {
  it.each([
    ["OC", "pending"],
    ["PU", "picked_up"],
    ["AR", "in_transit"],
    ["AO", "in_transit"],
    ["CC", "in_transit"],
    ["OD", "out_for_delivery"],
    ["HL", "ready_for_pickup"],
    ["DL", "delivered"],
    ["DE", "delivery_failed"],
    ["CD", "delivery_delayed"],
    ["SE", "on_hold"],
    ["RS", "return_to_sender"],
    ["CA", "cancelled"],
    ["dl", "delivered"],
    ["ZZ", "unknown"],
  ])("%s -> %s", (code, status) => {
    expect(fedexStatus(code)).toBe(status);
  });

  it("no code at all is no status", () => {
    expect(fedexStatus(null)).toBeNull();
  });
});

describe("normalizeFedex", () => {
  it("takes the newest scan by instant, not by list order or wall-clock text", () => {
    const p = envelope({
      scanEvents: [
        { date: "2026-11-29T06:10:00-05:00", eventType: "AR" },
        { date: "2026-11-29T04:55:00-06:00", eventType: "DP" },
        { date: "2026-11-29T09:00:00", eventType: "OD" },
      ],
    });
    const e = normalizeFedex(p);
    expect([e.carrier_status, e.occurred_at, e.status]).toEqual(["AR", "2026-11-29T11:10:00.000Z", "in_transit"]);
    expect(fedexEventKey(p)).toBe("794843185271|AR|2026-11-29T11:10:00.000Z");
  });

  it("without a dated scan, uses latestStatusDetail's code and the time of receipt", () => {
    const p = envelope({ latestStatusDetail: { code: "HL", description: "Ready for pickup" } });
    const e = normalizeFedex(p);
    expect([e.carrier_status, e.status, e.occurred_at]).toEqual(["HL", "ready_for_pickup", null]);
    expect(fedexEventKey(p)).toBe(
      fedexEventKey(envelope({ latestStatusDetail: { code: "HL", description: "Ready for pickup" } })),
    );
  });

  it("ignores outputMetaData in the identity (it changes per attempt)", () => {
    const body = JSON.parse(vector.request.body);
    const a = v.parse(fedexPayloadSchema, { ...body, outputMetaData: [{ attemptNumber: 1 }] });
    const b = v.parse(fedexPayloadSchema, { ...body, outputMetaData: [{ attemptNumber: 2 }] });
    expect(fedexEventKey(a)).toBe(fedexEventKey(b));
  });

  it("names why only for problem statuses, or where FedEx gave an exception description", () => {
    expect(
      normalizeFedex(
        envelope({
          scanEvents: [{ date: "2026-12-01T10:00:00Z", eventType: "DY", eventDescription: "Weather delay" }],
        }),
      ).reason,
    ).toBe("Weather delay");
    expect(
      normalizeFedex(
        envelope({ scanEvents: [{ date: "2026-12-01T10:00:00Z", eventType: "DL", eventDescription: "Delivered" }] }),
      ).reason,
    ).toBeNull();
  });

  it("refuses an envelope without a tracking number (422)", () => {
    const r = v.safeParse(fedexPayloadSchema, { output: { completeTrackResults: [{ trackResults: [{}] }] } });
    expect(r.success).toBe(false);
  });
});

describe("the FedEx sender check", () => {
  const ctx = (headers: Record<string, string>) => ({
    url: new URL("https://x.test/webhooks/fedex"),
    headers: new Headers(headers),
    clientIp: null,
  });
  const settings = { FEDEX_SECURITY_TOKEN: ["fedex_test_security_token"] };
  const body = new TextEncoder().encode(vector.request.body);

  it("passes the 6.4 vector byte for byte", async () => {
    const c = ctx(vector.request.headers);
    expect(await verifyFedexSender(c, settings)).toBe("ok");
    expect(await verifyFedexBody(c, body, settings)).toBe("ok");
  });

  it("refuses a hex digest or a bare value before the body is read, and is 503 without a token", async () => {
    expect(
      await verifyFedexSender(
        ctx({ "fdx-signature": "c67907623a303101385ecee62b94c3479be957a37172dca99e026daf9932faa6" }),
        settings,
      ),
    ).toBe("unauthorized");
    expect(await verifyFedexSender(ctx({}), settings)).toBe("unauthorized");
    expect(await verifyFedexSender(ctx(vector.request.headers), { FEDEX_SECURITY_TOKEN: [] })).toBe("not_configured");
  });
});
