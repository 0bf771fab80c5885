import { describe, expect, it } from "vitest";
import type { NormalizedEvent } from "../../src/events/normalized-event";
import { MAX_QUEUE_MESSAGE_BYTES, toQueueMessage } from "../../src/events/to-queue-message";

const event: NormalizedEvent = {
  id: "evt_01TEST",
  carrier: "peddler",
  type: "shipment.status_changed",
  occurred_at: "2024-09-02T13:08:06.574Z",
  received_at: "2024-09-02T13:08:07.000Z",
  tracking_number: "P1",
  carrier_reference: "s1",
  status: "delivered",
  carrier_status: "DELIVERED",
  reason: null,
  data: { code: 500 },
};

describe("toQueueMessage", () => {
  it("sends an ordinary event as it is", () => {
    expect(toQueueMessage(event)).toBe(event);
  });

  it("leaves out data that would not fit a Queues message, and says so", () => {
    const big = { ...event, data: { meta_data: "x".repeat(MAX_QUEUE_MESSAGE_BYTES) } };
    const message = toQueueMessage(big);
    expect(message).toEqual({ ...event, data: {}, data_omitted: true });
    expect(JSON.stringify(message).length).toBeLessThan(MAX_QUEUE_MESSAGE_BYTES);
  });
});
