import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { easypost } from "../../src/carriers/easypost";
import { easypostPayloadSchema } from "../../src/carriers/easypost/easypost-payload-schema";
import { easypostStatus } from "../../src/carriers/easypost/easypost-status";
import { easypostEventKey, normalizeEasypost } from "../../src/carriers/easypost/normalize-easypost";
import trackerUpdated from "../fixtures/carriers/easypost/tracker-updated.json";

const parse = (input: unknown) => v.parse(easypostPayloadSchema, input);
const check = (input: unknown) => v.safeParse(easypostPayloadSchema, input);
const vendor = () =>
  JSON.parse(trackerUpdated.request.body) as Record<string, unknown> & { result: Record<string, unknown> };

/** A tracker event like EasyPost's fixture, with parts of its Tracker replaced. */
function tracker(result: Record<string, unknown>, envelope: Record<string, unknown> = {}) {
  const body = vendor();
  return { ...body, ...envelope, result: { ...body.result, ...result } };
}

// carriers-more.md section 8, EasyPost (`result.status` of a `tracker.*` event), row by row.
const TABLE: [string, string][] = [
  ["pre_transit", "pending"],
  ["in_transit", "in_transit"],
  ["out_for_delivery", "out_for_delivery"],
  ["available_for_pickup", "ready_for_pickup"],
  ["delivered", "delivered"],
  ["failure", "delivery_failed"],
  ["return_to_sender", "return_to_sender"],
  ["cancelled", "cancelled"],
  ["error", "unknown"],
  ["unknown", "unknown"],
  ["lost_in_space", "unknown"],
];

describe("easypostStatus", () => {
  it.each(TABLE)("%s -> %s", (status, canonical) => {
    expect(easypostStatus(status)).toBe(canonical);
  });

  it("is not fooled by Object's own keys or another case", () => {
    expect(easypostStatus("constructor")).toBe("unknown");
    expect(easypostStatus("__proto__")).toBe("unknown");
    expect(easypostStatus("DELIVERED")).toBe("unknown");
  });

  it.each(TABLE)("a tracker.updated with status %s normalizes to %s, keeping EasyPost's value", (status, canonical) => {
    const event = normalizeEasypost(parse(tracker({ status })));
    expect(event.status).toBe(canonical);
    expect(event.carrier_status).toBe(status);
    expect(event.type).toBe("shipment.status_changed");
  });
});

describe("normalizeEasypost, EasyPost's own tracker.updated", () => {
  const event = normalizeEasypost(parse(vendor()));

  it("takes the tracking code, the Tracker id and the status from result", () => {
    expect(event).toMatchObject({
      type: "shipment.status_changed",
      tracking_number: "1",
      carrier_reference: "trk_1",
      status: "in_transit",
      carrier_status: "in_transit",
      reason: null,
    });
  });

  it("occurs at the newest tracking detail (18:50Z), not at result.updated_at (19:26:51Z)", () => {
    expect(event.occurred_at).toBe("2024-08-02T18:50:00.000Z");
  });

  it("keeps status_detail, the tracked carrier, the link and the newest detail's place in data", () => {
    expect(event.data).toEqual({
      event: "tracker.updated",
      mode: "production",
      status_detail: "arrived_at_facility",
      previous_status: "in_transit",
      carrier: "FedEx",
      tracking_url: "https://track.easypost.com/1",
      est_delivery_date: "2024-08-05T00:00:00Z",
      signed_by: null,
      shipment_id: null,
      is_return: false,
      message: "Arrived at FedEx location",
      location: { city: "EDISON", state: "NJ", country: "US", zip: "08817" },
    });
  });

  it("is identified by the Event id, whatever else a retry carries", () => {
    expect(easypost.eventKey(parse(vendor()))).toBe("evt_1");
    // A resend lists the URL as completed and may carry a new envelope status: still the same event.
    const resent = parse({ ...vendor(), status: "retrying", completed_urls: ["https://example.com/easypost"] });
    expect(easypostEventKey(resent)).toBe("evt_1");
    expect(easypostEventKey(parse({ ...vendor(), id: "evt_2" }))).toBe("evt_2");
  });
});

describe("occurred_at (carriers-more.md, Times)", () => {
  const at = (result: Record<string, unknown>, envelope: Record<string, unknown> = {}) =>
    normalizeEasypost(parse(tracker(result, envelope))).occurred_at;
  const detail = (datetime: unknown, message = "m") => ({ datetime, message, status: "in_transit" });

  it("is the newest detail by instant, whatever its position and offset", () => {
    const details = [detail("2026-03-01T12:00:00-05:00", "newest"), detail("2026-03-01T16:30:00Z", "older")];
    expect(at({ tracking_details: details })).toBe("2026-03-01T17:00:00.000Z");
    expect(normalizeEasypost(parse(tracker({ tracking_details: details }))).data.message).toBe("newest");
  });

  it("of two details at one instant, takes the later in the list", () => {
    const details = [detail("2026-03-01T12:00:00Z", "first"), detail("2026-03-01T13:00:00+01:00", "second")];
    expect(normalizeEasypost(parse(tracker({ tracking_details: details }))).data.message).toBe("second");
  });

  it("passes over a detail without a zone or with no datetime rather than guessing", () => {
    const details = [detail("2026-03-01T10:00:00Z"), detail("2026-03-09T10:00:00"), detail(null), { message: "x" }];
    expect(at({ tracking_details: details })).toBe("2026-03-01T10:00:00.000Z");
  });

  it("falls back to result.updated_at without usable details", () => {
    expect(at({ tracking_details: [] })).toBe("2024-08-02T19:26:51.000Z");
    expect(at({ tracking_details: null })).toBe("2024-08-02T19:26:51.000Z");
    expect(at({ tracking_details: [detail("yesterday")] })).toBe("2024-08-02T19:26:51.000Z");
  });

  it("then to the Event's updated_at, then its created_at", () => {
    expect(at({ tracking_details: [], updated_at: null })).toBe("2024-08-02T19:26:52.000Z");
    expect(
      at({ tracking_details: [], updated_at: null }, { updated_at: null, created_at: "2024-08-02T19:26:50.123Z" }),
    ).toBe("2024-08-02T19:26:50.123Z");
  });

  it("an event with no usable time at all is invalid (422)", () => {
    const body = tracker(
      { tracking_details: [], updated_at: "2024-08-02 19:26" },
      { updated_at: null, created_at: undefined },
    );
    const result = check(body);
    expect(result.success).toBe(false);
    expect(result.issues?.[0]?.message).toMatch(/No usable time/);
  });
});

describe("events other than tracker.*", () => {
  const other = (description: string, result: Record<string, unknown>, envelope: Record<string, unknown> = {}) => ({
    id: `evt_${description}`,
    object: "Event",
    description,
    mode: "test",
    created_at: "2026-05-04T10:00:00.000Z",
    updated_at: "2026-05-04T10:00:01.000Z",
    previous_attributes: null,
    status: "pending",
    result,
    ...envelope,
  });

  it.each([
    ["batch.updated", { id: "batch_1", object: "Batch", status: { created: 1 }, updated_at: "2026-05-04T09:59:00Z" }],
    ["shipment.invoice.created", { id: "shpinv_1", object: "ShipmentInvoice", tracking_code: "EZ4000000004" }],
    ["refund.successful", { id: "rfnd_1", object: "Refund", status: "refunded", tracking_code: "" }],
    ["insurance.purchased", { id: "ins_1", object: "Insurance", tracking_code: 42 }],
  ])("%s is stored as unknown, with no status, keeping its name", (description, result) => {
    const event = normalizeEasypost(parse(other(description, result)));
    expect(event.type).toBe("unknown");
    expect(event.status).toBeNull();
    expect(event.carrier_status).toBe(description);
    expect(event.reason).toBeNull();
    expect(event.carrier_reference).toBe(result.id);
    expect(event.data).toEqual({ event: description, mode: "test", object: result.object });
    const code = (result as { tracking_code?: unknown }).tracking_code;
    expect(event.tracking_number).toBe(typeof code === "string" && code !== "" ? code : null);
  });

  it("occurs at result.updated_at, else the Event's updated_at, else its created_at", () => {
    const at = (result: Record<string, unknown>, envelope: Record<string, unknown> = {}) =>
      normalizeEasypost(parse(other("batch.created", result, envelope))).occurred_at;
    expect(at({ updated_at: "2026-05-04T09:59:00Z" })).toBe("2026-05-04T09:59:00.000Z");
    expect(at({})).toBe("2026-05-04T10:00:01.000Z");
    expect(at({ updated_at: 7 }, { updated_at: undefined })).toBe("2026-05-04T10:00:00.000Z");
    expect(check(other("batch.created", {}, { updated_at: undefined, created_at: undefined })).success).toBe(false);
  });

  it("needs an Event id, an event name and a result object", () => {
    expect(check(other("batch.created", {}, { id: "" })).success).toBe(false);
    expect(check(other("batch.created", {}, { id: undefined })).success).toBe(false);
    expect(check(other("", {})).success).toBe(false);
    expect(check(other("batch.created", {}, { result: null })).success).toBe(false);
  });
});

describe("the tracker schema", () => {
  it("a tracker event that is not a valid Tracker is refused, never taken as some other event", () => {
    for (const broken of [
      { status: undefined },
      { status: "" },
      { status: 3 },
      { id: undefined },
      { tracking_details: "none" },
    ]) {
      expect(check(tracker(broken)).success, JSON.stringify(broken)).toBe(false);
    }
  });

  it("keeps unknown keys and accepts nulls where EasyPost sends them", () => {
    const body = tracker(
      { brand_new_field: { nested: true }, tracking_code: null, carrier: null, public_url: null, is_return: null },
      { previous_attributes: null, brand_new_envelope_field: [1, 2] },
    );
    const parsed = parse(body) as Record<string, unknown>;
    expect(parsed.brand_new_envelope_field).toEqual([1, 2]);
    const event = normalizeEasypost(parse(body));
    expect(event.tracking_number).toBeNull();
    expect(event.data).toMatchObject({ carrier: null, tracking_url: null, is_return: null, previous_status: null });
  });

  it("an empty tracking code is no tracking number", () => {
    expect(normalizeEasypost(parse(tracker({ tracking_code: "" }))).tracking_number).toBeNull();
  });

  it("a tracker.created is a status change like an update", () => {
    const event = normalizeEasypost(
      parse(tracker({ status: "unknown", tracking_details: [] }, { description: "tracker.created" })),
    );
    expect(event).toMatchObject({ type: "shipment.status_changed", status: "unknown", carrier_status: "unknown" });
    expect(event.data.event).toBe("tracker.created");
  });

  it("a detail without a location gives a null location", () => {
    const details = [{ datetime: "2026-03-01T10:00:00Z", message: "Delivered", tracking_location: null }];
    expect(normalizeEasypost(parse(tracker({ tracking_details: details }))).data.location).toBeNull();
  });
});
