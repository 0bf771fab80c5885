import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { normalizeSendcloud } from "../../src/carriers/sendcloud/normalize-sendcloud";
import { sendcloudEventKey } from "../../src/carriers/sendcloud/sendcloud-event-key";
import { sendcloudPayloadSchema } from "../../src/carriers/sendcloud/sendcloud-payload-schema";

const parse = (input: unknown) => v.parse(sendcloudPayloadSchema, input);
const issuePaths = (input: unknown) =>
  v.safeParse(sendcloudPayloadSchema, input).issues?.map((i) => v.getDotPath(i) ?? "") ?? [];

function parcelEvent(over: Record<string, unknown> = {}, parcel: Record<string, unknown> = {}) {
  return {
    action: "parcel_status_changed",
    timestamp: 1712163088943,
    carrier_status_change_timestamp: 1712163088908,
    parcel: {
      id: 364069982,
      tracking_number: "XY123456789FR",
      status: { id: 11, message: "Delivered" },
      ...parcel,
    },
    ...over,
  };
}

describe("Sendcloud times (carriers-more.md section 8, Times)", () => {
  it("occurred_at is carrier_status_change_timestamp, as epoch milliseconds", () => {
    expect(normalizeSendcloud(parse(parcelEvent())).occurred_at).toBe("2024-04-03T16:51:28.908Z");
  });

  it("without carrier_status_change_timestamp (null or absent), occurred_at is timestamp", () => {
    expect(normalizeSendcloud(parse(parcelEvent({ carrier_status_change_timestamp: null }))).occurred_at).toBe(
      "2024-04-03T16:51:28.943Z",
    );
    const { carrier_status_change_timestamp: _, ...absent } = parcelEvent();
    expect(normalizeSendcloud(parse(absent)).occurred_at).toBe("2024-04-03T16:51:28.943Z");
  });

  it("timestamp is milliseconds even when small (the doc's placeholder 123), never guessed to be seconds", () => {
    const draft = normalizeSendcloud(parse(parcelEvent({ timestamp: 123, carrier_status_change_timestamp: 123 })));
    expect(draft.occurred_at).toBe("1970-01-01T00:00:00.123Z");
    expect(normalizeSendcloud(parse(parcelEvent({ carrier_status_change_timestamp: 1712163088 }))).occurred_at).toBe(
      "1970-01-20T19:36:03.088Z",
    );
  });

  it("data.sent_at is timestamp, for every action", () => {
    expect(normalizeSendcloud(parse(parcelEvent())).data.sent_at).toBe("2024-04-03T16:51:28.943Z");
    const integration = { action: "integration_deleted", timestamp: 1525271885993, integration: { id: 7 } };
    expect(normalizeSendcloud(parse(integration))).toMatchObject({
      occurred_at: "2018-05-02T14:38:05.993Z",
      data: { sent_at: "2018-05-02T14:38:05.993Z" },
    });
  });

  it("refuses times that are not epoch milliseconds: strings, fractions, negative, past Date's range", () => {
    for (const bad of ["1712163088943", "2024-04-03T16:51:28Z", 1712163088943.5, -1, 8.64e15 + 1, null]) {
      expect(issuePaths(parcelEvent({ timestamp: bad })), String(bad)).toEqual(["timestamp"]);
    }
    expect(issuePaths(parcelEvent({ carrier_status_change_timestamp: "soon" }))).toEqual([
      "carrier_status_change_timestamp",
    ]);
  });
});

describe("sendcloudEventKey (no event id: parcel, status id, carrier time)", () => {
  const key = (over: Record<string, unknown> = {}, parcel: Record<string, unknown> = {}) =>
    sendcloudEventKey(parse(parcelEvent(over, parcel)));

  it("is the parcel id, the status id and the carrier's time of the change", () => {
    expect(key()).toBe("364069982:11:1712163088908");
    expect(key({ carrier_status_change_timestamp: null })).toBe("364069982:11:1712163088943");
  });

  it("a retry is the same event even if Sendcloud re-stamps `timestamp` or the parcel's other fields changed", () => {
    expect(key({ timestamp: 1712163999999 })).toBe(key());
    expect(key({}, { tracking_number: "", weight: "1.000" })).toBe(key());
  });

  it("another parcel, status or carrier time is another event", () => {
    const base = key();
    expect(key({}, { id: 364069983 })).not.toBe(base);
    expect(key({}, { status: { id: 93, message: "Delivered" } })).not.toBe(base);
    expect(key({ carrier_status_change_timestamp: 1712163088909 })).not.toBe(base);
  });

  it("integrations and returns: action, their id and timestamp; never a parcel's key", () => {
    const at = 1525271885993;
    expect(sendcloudEventKey(parse({ action: "integration_updated", timestamp: at, integration: { id: 1 } }))).toBe(
      "integration_updated:1:1525271885993",
    );
    expect(sendcloudEventKey(parse({ action: "integration_deleted", timestamp: at, integration: { id: 1 } }))).toBe(
      "integration_deleted:1:1525271885993",
    );
    expect(sendcloudEventKey(parse({ action: "return_created", timestamp: at, data: { id: 42 } }))).toBe(
      "return_created:42:1525271885993",
    );
    expect(sendcloudEventKey(parse({ action: "test_webhook", timestamp: at }))).toBe("test_webhook:1525271885993");
  });
});

describe("normalizeSendcloud", () => {
  it("a parcel's status change: tracking number, parcel id, status by id, Sendcloud's message untouched", () => {
    expect(normalizeSendcloud(parse(parcelEvent()))).toMatchObject({
      type: "shipment.status_changed",
      tracking_number: "XY123456789FR",
      carrier_reference: "364069982",
      status: "delivered",
      carrier_status: "Delivered",
      reason: null,
    });
  });

  it('a tracking_number of "" (before announcement) or null is null', () => {
    expect(normalizeSendcloud(parse(parcelEvent({}, { tracking_number: "" }))).tracking_number).toBeNull();
    expect(normalizeSendcloud(parse(parcelEvent({}, { tracking_number: null }))).tracking_number).toBeNull();
  });

  it("the status follows the id, not the message; no message keeps the id as carrier_status", () => {
    const doc = normalizeSendcloud(parse(parcelEvent({}, { status: { id: 1, message: "Ready to send" } })));
    expect([doc.status, doc.carrier_status]).toEqual(["pending", "Ready to send"]);
    const bare = normalizeSendcloud(parse(parcelEvent({}, { status: { id: 62990 } })));
    expect([bare.status, bare.carrier_status]).toEqual(["unknown", "62990"]);
  });

  it("data: the action, times, status id, the carrier Sendcloud used and the shop's references", () => {
    const draft = normalizeSendcloud(
      parse(
        parcelEvent(
          {},
          {
            status: { id: 92, message: "Driver en route" },
            tracking_url: "https://tracking.eu-central-1-0.sendcloud.sc/forward?carrier=dpd&code=1",
            carrier: { code: "dpd", name: "DPD", servicepoints_carrier_code: "dpd" },
            shipment: { id: 8, name: "DPD Home 0-31.5kg" },
            order_number: "1042",
            external_order_id: "ext-1042",
            external_shipment_id: "",
            shipment_uuid: "87e18823-016b-479b-b9e0-c5c0c4065452",
            colli_uuid: "30c857c1-d679-4a93-9041-7265cb098925",
            is_return: false,
          },
        ),
      ),
    );
    expect(draft.data).toEqual({
      action: "parcel_status_changed",
      sent_at: "2024-04-03T16:51:28.943Z",
      status_id: 92,
      carrier_code: "dpd",
      carrier_name: "DPD",
      shipping_method: "DPD Home 0-31.5kg",
      tracking_url: "https://tracking.eu-central-1-0.sendcloud.sc/forward?carrier=dpd&code=1",
      order_number: "1042",
      external_order_id: "ext-1042",
      external_shipment_id: "",
      shipment_uuid: "87e18823-016b-479b-b9e0-c5c0c4065452",
      colli_uuid: "30c857c1-d679-4a93-9041-7265cb098925",
      is_return: false,
    });
    expect(draft.status).toBe("out_for_delivery");
  });

  it("integration_* and return_created are stored as type unknown, status null, the action and object kept", () => {
    const integration = { id: 3, shop_name: "Shop", webhook_active: true, new_key: [1] };
    for (const action of ["integration_connected", "integration_updated", "integration_deleted"]) {
      expect(normalizeSendcloud(parse({ action, timestamp: 1525271885993, integration }))).toEqual({
        type: "unknown",
        occurred_at: "2018-05-02T14:38:05.993Z",
        tracking_number: null,
        carrier_reference: "3",
        status: null,
        carrier_status: action,
        reason: null,
        data: { action, sent_at: "2018-05-02T14:38:05.993Z", integration },
      });
    }
    const ret = { id: 42, order_number: "1042", items: [{ sku: "A" }] };
    expect(normalizeSendcloud(parse({ action: "return_created", timestamp: 1525271885993, data: ret }))).toMatchObject({
      type: "unknown",
      carrier_reference: "42",
      status: null,
      carrier_status: "return_created",
      data: { action: "return_created", return: ret },
    });
  });

  it("an action Sendcloud adds later is stored as unknown with the whole payload, not refused", () => {
    const body = { action: "refund_requested", timestamp: 1525271885993, refund: { id: 5 } };
    expect(normalizeSendcloud(parse(body))).toMatchObject({
      type: "unknown",
      carrier_reference: null,
      status: null,
      carrier_status: "refund_requested",
      data: { action: "refund_requested", payload: body },
    });
  });
});

describe("sendcloudPayloadSchema", () => {
  it("never refuses unknown keys, at any level, and keeps them", () => {
    const body = parcelEvent(
      { extra_top: { a: 1 } },
      { house_number_as_string: "26", suppressed_statuses: [], carrier: { code: "chronopost", x: 1 } },
    );
    const parsed = parse(body) as unknown as { extra_top: unknown; parcel: Record<string, unknown> };
    expect(parsed.extra_top).toEqual({ a: 1 });
    expect(parsed.parcel.house_number_as_string).toBe("26");
  });

  it("a side field of another type than documented does not refuse the status change (null in data)", () => {
    const draft = normalizeSendcloud(
      parse(parcelEvent({}, { order_number: 10, carrier: "chronopost", shipment: 1345, is_return: "no" })),
    );
    expect(draft.status).toBe("delivered");
    expect(draft.data).toMatchObject({
      order_number: null,
      carrier_code: null,
      shipping_method: null,
      is_return: null,
    });
  });

  it("is strict on what identity and status need: parcel id, status id, action", () => {
    expect(issuePaths(parcelEvent({}, { id: "364069982" }))).toEqual(["parcel.id"]);
    expect(issuePaths(parcelEvent({}, { status: { message: "Delivered" } }))).toEqual(["parcel.status.id"]);
    expect(issuePaths(parcelEvent({}, { status: null }))).toEqual(["parcel.status"]);
    expect(issuePaths(parcelEvent({}, { tracking_number: 42 }))).toEqual(["parcel.tracking_number"]);
    expect(issuePaths({ ...parcelEvent(), parcel: undefined })).toEqual(["parcel"]);
    expect(issuePaths({ action: "integration_updated", timestamp: 1 })).toEqual(["integration"]);
    expect(issuePaths({ action: "return_created", timestamp: 1, data: {} })).toEqual(["data.id"]);
    expect(issuePaths({ action: "", timestamp: 1 })).toEqual(["action"]);
  });

  it("Sendcloud's signature example body is authentic JSON but no event: refused (422), naming `action`", () => {
    expect(issuePaths({ key: "value" })).toEqual(["action"]);
  });
});
