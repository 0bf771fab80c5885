import { describe, expect, it } from "vitest";
import type { NormalizedEvent } from "../../src/events/normalized-event";
import { isQueueMessage, toQueueMessage } from "../../src/events/to-queue-message";

const event: NormalizedEvent = {
  id: "evt_01TEST",
  carrier: "peddler",
  type: "shipment.status_changed",
  occurred_at: "2024-09-02T13:08:06.574Z",
  received_at: "2024-09-02T13:08:07.000Z",
  tracking_number: "P1",
  carrier_reference: "s1",
  status: "delivery_failed",
  carrier_status: "FAILED",
  reason: "ą".repeat(70_000),
  data: { code: 500 },
};

describe("toQueueMessage", () => {
  it("carries the id and carrier only, whatever the event's size", () => {
    expect(toQueueMessage(event)).toEqual({ id: "evt_01TEST", carrier: "peddler" });
  });

  it("recognises a message by its id, and a whole event as queued before this shape", () => {
    expect(isQueueMessage(toQueueMessage(event))).toBe(true);
    expect(isQueueMessage(event)).toBe(true);
    expect(isQueueMessage({ hello: "world" })).toBe(false);
    expect(isQueueMessage(null)).toBe(false);
  });
});
