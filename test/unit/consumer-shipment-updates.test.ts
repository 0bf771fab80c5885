import { describe, expect, it } from "vitest";
import { shipmentUpdates } from "../../src/consumer/shipment-updates";
import type { NormalizedEvent } from "../../src/events/normalized-event";

const base: NormalizedEvent = {
  id: "evt_1",
  carrier: "postmen",
  type: "label.created",
  occurred_at: "2016-09-26T07:15:30.000Z",
  received_at: "2016-09-26T07:15:31.000Z",
  tracking_number: "T1",
  carrier_reference: "label-1",
  status: "pending",
  carrier_status: "created",
  reason: null,
  data: {},
};

describe("shipmentUpdates", () => {
  it("moves the event's shipment", () => {
    expect(shipmentUpdates(base)).toEqual([
      {
        event_id: "evt_1",
        carrier: "postmen",
        tracking_number: "T1",
        status: "pending",
        carrier_status: "created",
        occurred_at: "2016-09-26T07:15:30.000Z",
      },
    ]);
  });

  it("moves every parcel of a label listed in data.tracking_numbers, each once", () => {
    const e = { ...base, data: { tracking_numbers: ["T1", "T2", "T3", 7, ""] } };
    expect(shipmentUpdates(e).map((u) => u.tracking_number)).toEqual(["T1", "T2", "T3"]);
  });

  it("moves nothing for a status-less event or one without a tracking number", () => {
    expect(shipmentUpdates({ ...base, status: null, data: { tracking_numbers: ["T2"] } })).toEqual([]);
    expect(shipmentUpdates({ ...base, tracking_number: null })).toEqual([]);
  });
});
