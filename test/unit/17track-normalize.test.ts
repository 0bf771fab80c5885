import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { normalizeTrack17, track17EventKey } from "../../src/carriers/17track/normalize-track17";
import { track17PayloadSchema } from "../../src/carriers/17track/track17-payload-schema";
import { track17Status } from "../../src/carriers/17track/track17-status";

describe("track17Status (carriers-next.md section 8)", () => {
  it.each([
    ["InfoReceived", "InfoReceived", "pending"],
    ["InTransit", "InTransit_PickedUp", "picked_up"],
    ["InTransit", "InTransit_CustomsReleased", "in_transit"],
    ["InTransit", "InTransit_CustomsRequiringInformation", "on_hold"],
    ["OutForDelivery", "OutForDelivery_Other", "out_for_delivery"],
    ["AvailableForPickup", "AvailableForPickup_Other", "ready_for_pickup"],
    ["Delivered", "Delivered_Other", "delivered"],
    ["DeliveryFailure", "DeliveryFailure_Security", "delivery_failed"],
    ["DeliveryFailure", "DeliveryFailure_SomethingNew", "delivery_failed"],
    ["Exception", "Exception_Lost", "delivery_failed"],
    ["Exception", "Exception_Delayed", "delivery_delayed"],
    ["Exception", "Exception_Returned", "return_to_sender"],
    ["Exception", "Exception_Cancel", "cancelled"],
    ["Exception", "Exception_SomethingNew", "on_hold"],
    ["NotFound", "NotFound_InvalidCode", "unknown"],
    ["Expired", "Expired_Other", "unknown"],
    ["Teleported", null, "unknown"],
  ])("%s / %s -> %s", (status, sub, canonical) => {
    expect(track17Status(status, sub)).toBe(canonical);
  });

  it("no status at all is null", () => {
    expect(track17Status(null, undefined)).toBeNull();
  });
});

describe("normalizeTrack17", () => {
  const update = (latestEvent: Record<string, unknown>) =>
    v.parse(track17PayloadSchema, {
      event: "TRACKING_UPDATED",
      data: {
        number: "RR1CN",
        carrier: 3011,
        track_info: { latest_status: { status: "InTransit" }, latest_event: latestEvent },
      },
    });

  it("takes time_utc, else time_iso with an offset, else null (the time of receipt), never a guessed zone", () => {
    expect(
      normalizeTrack17(update({ time_utc: "2026-12-01T09:12:00Z", time_iso: "2026-12-01T10:12:00+01:00" })).occurred_at,
    ).toBe("2026-12-01T09:12:00.000Z");
    expect(normalizeTrack17(update({ time_utc: null, time_iso: "2026-12-01T10:12:00+01:00" })).occurred_at).toBe(
      "2026-12-01T09:12:00.000Z",
    );
    expect(normalizeTrack17(update({ time_utc: null, time_iso: "2026-12-01T10:12:00" })).occurred_at).toBeNull();
  });

  it("keys an update by carrier, number, time and sub-status, and an unknown event by its name too", () => {
    const p = update({ time_utc: "2026-12-01T09:12:00Z" });
    expect(track17EventKey(p)).toBe("3011|RR1CN|2026-12-01T09:12:00Z|InTransit");
    expect(track17EventKey({ ...p, event: "TRACKING_SOMETHING" })).toBe(
      "TRACKING_SOMETHING|3011|RR1CN|2026-12-01T09:12:00Z|InTransit",
    );
    const other = normalizeTrack17({ ...p, event: "TRACKING_SOMETHING" });
    expect([other.type, other.status, other.carrier_status]).toEqual(["unknown", null, "TRACKING_SOMETHING"]);
  });

  it("refuses a carrier that is not 17TRACK's integer code (422)", () => {
    expect(
      v.safeParse(track17PayloadSchema, { event: "TRACKING_UPDATED", data: { number: "X", carrier: "3011" } }).success,
    ).toBe(false);
  });
});
