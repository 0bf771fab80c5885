import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import {
  inpostOffersPrepared,
  inpostReturnedToSender,
  inpostShipmentConfirmed,
  inpostShipmentConfirmedOld,
  inpostStatusDelivered,
  inpostStatusNullTracking,
} from "./fixtures/inpost";
import { callWith } from "./helpers/call-with";
import { call } from "./helpers/post-webhook";
import { quarantinedBody, type StoredEvent, storedEvent } from "./helpers/stored-event";

const inside = { "cf-connecting-ip": "91.216.25.7" };

interface Accepted {
  status: string;
  event_id: string;
}

function post(body: unknown, headers: Record<string, string> = inside): Promise<Response> {
  return call("/webhooks/inpost", body, { headers });
}

/** The Worker's own fetch with some vars changed: configuration, not a stand-in for any binding. */
function postWith(overrides: Partial<Env>, body: unknown, headers: Record<string, string>): Promise<Response> {
  return callWith("/webhooks/inpost", overrides, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
}

async function eventRow(id: string): Promise<StoredEvent> {
  const row = await storedEvent(id);
  if (!row) throw new Error(`no event ${id}`);
  return row;
}

async function countEvents(): Promise<number> {
  return (await env.DB.prepare("SELECT count(*) AS n FROM events WHERE carrier = 'inpost'").first<number>("n")) ?? 0;
}

let nextShipment = 10_000;
function statusChange(status: string, event_ts = "2024-05-06 07:08:09 +0200") {
  nextShipment += 1;
  return {
    event_ts,
    event: "shipment_status_changed",
    organization_id: 1,
    payload: { shipment_id: nextShipment, status, tracking_number: `6026774393316303376${nextShipment}` },
  };
}

async function accept(body: unknown): Promise<StoredEvent> {
  const res = await post(body);
  expect(res.status).toBe(200);
  const answer = await res.json<Accepted>();
  expect(answer.status).toBe("accepted");
  return eventRow(answer.event_id);
}

describe("POST /webhooks/inpost: the documented examples", () => {
  it("stores shipment_confirmed as a pending status change in UTC and leaves it queued", async () => {
    const row = await accept(inpostShipmentConfirmed);
    expect(row).toMatchObject({
      type: "shipment.status_changed",
      status: "pending",
      carrier_status: "shipment_confirmed",
      tracking_number: "602677439331630337653846",
      carrier_reference: "49",
      occurred_at: "2020-03-20T14:08:06.000Z",
      reason: null,
      state: "queued",
      enqueue_failed_at: null,
    });
    expect(JSON.parse(row.data)).toEqual({ event: "shipment_confirmed", organization_id: 1 });
  });

  it("stores shipment_status_changed delivered", async () => {
    const row = await accept(inpostStatusDelivered);
    expect(row).toMatchObject({
      type: "shipment.status_changed",
      status: "delivered",
      carrier_status: "delivered",
      carrier_reference: "49",
      occurred_at: "2020-03-20T14:08:42.000Z",
      enqueue_failed_at: null,
    });
  });

  it("accepts the older shape with created_by_id: null and a +0200 offset", async () => {
    const row = await accept(inpostShipmentConfirmedOld);
    expect(row).toMatchObject({
      carrier_reference: "87235",
      tracking_number: "633300208831612315289193",
      occurred_at: "2018-07-17T10:57:29.000Z",
    });
  });

  it("accepts a status change whose tracking number is null", async () => {
    const row = await accept(inpostStatusNullTracking);
    expect(row).toMatchObject({ tracking_number: null, carrier_reference: "50", status: "delivered" });
  });

  it("stores offers_prepared as shipment.offers_prepared (pending) with its offers", async () => {
    const row = await accept(inpostOffersPrepared);
    expect(row).toMatchObject({
      type: "shipment.offers_prepared",
      status: "pending",
      carrier_status: "offers_prepared",
      tracking_number: null,
      carrier_reference: "349",
      occurred_at: "2020-03-13T09:48:01.000Z",
    });
    const data = JSON.parse(row.data);
    expect(data.offers).toEqual(inpostOffersPrepared.payload.offers);
  });

  it("stores returned_to_sender with the return tracking number", async () => {
    const row = await accept(inpostReturnedToSender);
    expect(row).toMatchObject({ status: "return_to_sender", carrier_status: "returned_to_sender" });
    expect(JSON.parse(row.data).return_tracking_number).toBe("602677439331630337653999");
  });
});

// carriers.md "InPost status names", written out again here so the test can disagree with the code.
const STATUS_TABLE: Record<string, string[]> = {
  pending: ["created", "offers_prepared", "offer_selected", "confirmed"],
  picked_up: ["dispatched_by_sender", "dispatched_by_sender_to_pok", "collected_from_sender", "taken_by_courier"],
  in_transit: [
    "taken_by_courier_from_pok",
    "adopted_at_source_branch",
    "sent_from_source_branch",
    "adopted_at_sorting_center",
    "sent_from_sorting_center",
    "adopted_at_target_branch",
    "readdressed",
    "redirect_to_box",
    "canceled_redirect_to_box",
    "unstack_from_customer_service_point",
    "unstack_from_box_machine",
  ],
  delivery_delayed: ["delay_in_delivery"],
  out_for_delivery: ["out_for_delivery", "out_for_delivery_to_address"],
  ready_for_pickup: [
    "ready_to_pickup",
    "ready_to_pickup_from_pok",
    "ready_to_pickup_from_pok_registered",
    "ready_to_pickup_from_branch",
    "pickup_reminder_sent",
    "courier_avizo_in_customer_service_point",
    "avizo",
  ],
  on_hold: [
    "stack_in_customer_service_point",
    "stack_in_box_machine",
    "stack_parcel_pickup_time_expired",
    "stack_parcel_in_box_machine_pickup_time_expired",
    "oversized",
    "claimed",
  ],
  delivery_failed: [
    "pickup_reminder_sent_address",
    "pickup_time_expired",
    "rejected_by_receiver",
    "undelivered",
    "undelivered_wrong_address",
    "undelivered_incomplete_address",
    "undelivered_unknown_receiver",
    "undelivered_cod_cash_receiver",
    "undelivered_no_mailbox",
    "undelivered_not_live_address",
    "undelivered_lack_of_access_letterbox",
    "missing",
  ],
  delivered: ["delivered", "return_pickup_confirmation_to_sender"],
  return_to_sender: ["returned_to_sender", "taken_by_courier_from_customer_service_point"],
  cancelled: ["canceled"],
  unknown: ["other", "a_status_inpost_adds_next_year"],
};
const STATUS_ROWS = Object.entries(STATUS_TABLE).flatMap(([canonical, names]) =>
  names.map((name) => [name, canonical] as const),
);

describe("POST /webhooks/inpost: every status of carriers.md", () => {
  it("lists the 53 documented names (plus one unlisted)", () => {
    expect(STATUS_ROWS).toHaveLength(54);
  });

  it.each(STATUS_ROWS)("%s -> %s, carrier status kept", async (name, canonical) => {
    const row = await accept(statusChange(name));
    expect(row).toMatchObject({ type: "shipment.status_changed", status: canonical, carrier_status: name });
  });
});

describe("POST /webhooks/inpost: unknown events", () => {
  it("stores and queues an unknown event name as type unknown, never 422", async () => {
    const row = await accept({
      event_ts: "2024-01-02 03:04:05 +0100",
      event: "shipment_teleported",
      organization_id: 1,
      payload: { shipment_id: 77, tracking_number: "602677439331630337650077", beam: "up" },
    });
    expect(row).toMatchObject({
      type: "unknown",
      status: null,
      carrier_status: "shipment_teleported",
      carrier_reference: "77",
      state: "queued",
      enqueue_failed_at: null,
    });
    expect(JSON.parse(row.data)).toMatchObject({ event: "shipment_teleported", payload: { beam: "up" } });
  });
});

describe("POST /webhooks/inpost: time", () => {
  it.each([
    ["2020-03-20 15:08:06 +0100", "2020-03-20T14:08:06.000Z"],
    ["2020-07-20 15:08:06 +0200", "2020-07-20T13:08:06.000Z"],
    ["2020-03-20 00:30:00 +0100", "2020-03-19T23:30:00.000Z"],
    ["2020-03-20 15:08:06 -0530", "2020-03-20T20:38:06.000Z"],
    ["2020-03-20 15:08:06 +01:00", "2020-03-20T14:08:06.000Z"],
  ])("event_ts %s -> occurred_at %s", async (eventTs, iso) => {
    const row = await accept(statusChange("delivered", eventTs));
    expect(row.occurred_at).toBe(iso);
  });
});

describe("POST /webhooks/inpost: source address", () => {
  it.each([
    ["the range's first address", "91.216.25.0"],
    ["the range's last address", "91.216.25.255"],
    ["IPv4-mapped IPv6", "::ffff:91.216.25.7"],
    ["IPv4-mapped IPv6 in hex", "::ffff:5bd8:1907"],
  ])("accepts %s (%s)", async (_label, ip) => {
    const res = await post(statusChange("delivered"), { "cf-connecting-ip": ip });
    expect(res.status).toBe(200);
  });

  it.each([
    ["just below the range", { "cf-connecting-ip": "91.216.24.255" }],
    ["just above the range", { "cf-connecting-ip": "91.216.26.0" }],
    ["IPv6 outside", { "cf-connecting-ip": "2001:db8::1" }],
    ["IPv4-mapped IPv6 outside", { "cf-connecting-ip": "::ffff:8.8.8.8" }],
    ["no CF-Connecting-IP", {}],
    ["an empty CF-Connecting-IP", { "cf-connecting-ip": "" }],
    ["a garbage address", { "cf-connecting-ip": "not-an-ip" }],
    ["an octet over 255", { "cf-connecting-ip": "91.216.25.256" }],
    ["a list in CF-Connecting-IP", { "cf-connecting-ip": "91.216.25.7, 8.8.8.8" }],
    ["a CIDR as the address", { "cf-connecting-ip": "91.216.25.7/24" }],
    [
      "X-Forwarded-For inside, CF-Connecting-IP outside",
      { "cf-connecting-ip": "8.8.8.8", "x-forwarded-for": "91.216.25.7" },
    ],
    ["X-Real-IP inside, CF-Connecting-IP outside", { "cf-connecting-ip": "8.8.8.8", "x-real-ip": "91.216.25.7" }],
    [
      "X-Forwarded-For and X-Real-IP inside, no CF-Connecting-IP",
      { "x-forwarded-for": "91.216.25.7", "x-real-ip": "91.216.25.7" },
    ],
  ])("answers 403 and stores nothing for %s", async (_label, headers) => {
    const before = await countEvents();
    const res = await post(statusChange("delivered"), headers);
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ error: { code: "forbidden", message: expect.any(String) } });
    expect(await countEvents()).toBe(before);
  });

  it("checks the address before reading the body: garbage from outside is 403, not 400", async () => {
    const res = await call("/webhooks/inpost", "{not json", { headers: { "cf-connecting-ip": "8.8.8.8" } });
    expect(res.status).toBe(403);
  });

  it("answers 400 malformed_json for garbage from inside", async () => {
    const res = await call("/webhooks/inpost", "{not json", { headers: inside });
    expect(res.status).toBe(400);
    expect((await res.json<{ error: { code: string } }>()).error.code).toBe("malformed_json");
  });

  it("answers InPost's GET probe 200 from anywhere, without an address", async () => {
    const res = await call("/webhooks/inpost");
    expect(res.status).toBe(200);
  });

  describe("with INPOST_ALLOWED_CIDRS naming an IPv6 range", () => {
    const cidrs = { INPOST_ALLOWED_CIDRS: "91.216.25.0/24, 2001:db8:1234::/48" };

    it.each([
      ["2001:db8:1234::1", 200],
      ["2001:db8:1234:ffff:ffff:ffff:ffff:ffff", 200],
      ["2001:DB8:1234:5::9", 200],
      ["2001:db8:1235::1", 403],
      ["2001:db8:1233:ffff::1", 403],
      ["91.216.25.7", 200],
      ["91.216.26.7", 403],
    ])("%s -> %i", async (ip, expected) => {
      const res = await postWith(cidrs, statusChange("delivered"), { "cf-connecting-ip": ip });
      expect(res.status).toBe(expected);
    });
  });

  it("ignores a malformed CIDR in the configuration instead of opening the door", async () => {
    const broken = { INPOST_ALLOWED_CIDRS: "garbage, 0.0.0.0/33, ::/129, 1.2.3.4/-1, 91.216.25.0/24" };
    const outside = await postWith(broken, statusChange("delivered"), { "cf-connecting-ip": "8.8.8.8" });
    expect(outside.status).toBe(403);
    const insideRes = await postWith(broken, statusChange("delivered"), inside);
    expect(insideRes.status).toBe(200);
  });

  it("falls back to InPost's documented range when INPOST_ALLOWED_CIDRS is empty", async () => {
    expect((await postWith({ INPOST_ALLOWED_CIDRS: "" }, statusChange("delivered"), inside)).status).toBe(200);
    const res = await postWith({ INPOST_ALLOWED_CIDRS: "" }, statusChange("delivered"), {
      "cf-connecting-ip": "8.8.8.8",
    });
    expect(res.status).toBe(403);
  });
});

describe("POST /webhooks/inpost: duplicates", () => {
  it("answers a retry 200 duplicate with the first id, and stores it once", async () => {
    const body = statusChange("out_for_delivery");
    const first = await (await post(body)).json<Accepted>();
    const again = await post(body);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ status: "duplicate", event_id: first.event_id });
    const n = await env.DB.prepare("SELECT count(*) AS n FROM events WHERE carrier_reference = ?")
      .bind(String(body.payload.shipment_id))
      .first<number>("n");
    expect(n).toBe(1);
  });

  it("treats another spelling of the same instant as the same event", async () => {
    const body = statusChange("delivered", "2024-05-06 07:08:09 +0200");
    const first = await (await post(body)).json<Accepted>();
    const respelled = await post({ ...body, event_ts: "2024-05-06 05:08:09 +0000" });
    expect(await respelled.json()).toEqual({ status: "duplicate", event_id: first.event_id });
  });

  it("keeps two statuses of one shipment apart", async () => {
    const a = statusChange("out_for_delivery");
    const b = { ...a, payload: { ...a.payload, status: "delivered" } };
    const first = await (await post(a)).json<Accepted>();
    const second = await (await post(b)).json<Accepted>();
    expect(second.status).toBe("accepted");
    expect(second.event_id).not.toBe(first.event_id);
  });
});

describe("POST /webhooks/inpost: invalid payloads", () => {
  async function quarantined(body: unknown) {
    const res = await post(body);
    expect(res.status).toBe(422);
    const answer = await res.json<{ error: { code: string; issues: { path: string; message: string }[] } }>();
    expect(answer.error.code).toBe("invalid_payload");
    const row = await quarantinedBody("inpost", JSON.stringify(body));
    expect(row).not.toBeNull();
    expect(JSON.parse(row?.issues ?? "[]")).toEqual(answer.error.issues);
    return answer.error.issues;
  }

  it("quarantines a time without a zone and a string shipment id, naming both paths", async () => {
    const before = await countEvents();
    const issues = await quarantined({
      event_ts: "2020-03-20 15:08:06",
      event: "shipment_confirmed",
      organization_id: 1,
      payload: { shipment_id: "49", tracking_number: "602677439331630337653846" },
    });
    expect(issues.map((i) => i.path).sort()).toEqual(["event_ts", "payload.shipment_id"]);
    for (const issue of issues) expect(issue.message).toEqual(expect.any(String));
    expect(await countEvents()).toBe(before);
  });

  it("quarantines shipment_status_changed without a status at payload.status", async () => {
    const issues = await quarantined({
      event_ts: "2020-03-20 15:08:42 +0100",
      event: "shipment_status_changed",
      organization_id: 1,
      payload: { shipment_id: 4242, tracking_number: null },
    });
    expect(issues).toEqual([{ path: "payload.status", message: expect.stringContaining("status") }]);
  });

  it("quarantines offers_prepared without offers at payload.offers", async () => {
    const issues = await quarantined({
      event_ts: "2020-03-13 10:48:01 +0100",
      event: "offers_prepared",
      organization_id: 1,
      payload: { shipment_id: 4243 },
    });
    expect(issues.map((i) => i.path)).toEqual(["payload.offers"]);
  });
});

describe("POST /webhooks/inpost: queueing", () => {
  it("still answers 200 and flags the event for the sweep when the send fails (fault: queue refuses)", async () => {
    const refusing = {
      send: () => Promise.reject(new Error("queue refused")),
      sendBatch: () => Promise.reject(new Error("queue refused")),
    } as unknown as Queue;
    const res = await postWith({ EVENTS_QUEUE: refusing }, statusChange("delivered"), inside);
    expect(res.status).toBe(200);
    const row = await eventRow((await res.json<Accepted>()).event_id);
    expect(row.state).toBe("queued");
    expect(row.enqueue_failed_at).not.toBeNull();
  });
});
