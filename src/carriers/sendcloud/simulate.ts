// Node only (the simulator): never imported by index.ts, so node:crypto stays out of the Worker.
import { createHmac } from "node:crypto";
import { type Rng, uuid } from "../../../scripts/simulate/rng";
import type { CarrierEvent, CarrierSim } from "../../../scripts/simulate/types";

const ENV = "SENDCLOUD_WEBHOOK_SECRET";
const PATH = "/webhooks/sendcloud";

// [status id, message] along real journeys (carriers-more.md 2.5); 1001 comes before a tracking number.
const JOURNEYS: readonly (readonly (readonly [number, string])[])[] = [
  [
    [1001, "Being announced"],
    [1000, "Ready to send"],
    [22, "Shipment picked up by driver"],
    [3, "En route to sorting center"],
    [91, "Parcel en route"],
    [92, "Driver en route"],
    [11, "Delivered"],
  ],
  [
    [1001, "Being announced"],
    [1000, "Ready to send"],
    [5, "Sorted"],
    [92, "Driver en route"],
    [8, "Delivery attempt failed"],
    [92, "Driver en route"],
    [11, "Delivered"],
  ],
  [
    [1000, "Ready to send"],
    [22, "Shipment picked up by driver"],
    [91, "Parcel en route"],
    [12, "Awaiting customer pickup"],
    [93, "Shipment collected by customer"],
  ],
  [
    [1000, "Ready to send"],
    [3, "En route to sorting center"],
    [4, "Delivery delayed"],
    [91, "Parcel en route"],
    [80, "Unable to deliver"],
  ],
  [
    [1001, "Being announced"],
    [1002, "Announcement failed"],
  ],
  [
    [1000, "Ready to send"],
    [1999, "Cancellation requested"],
    [2000, "Cancelled"],
  ],
];

const CARRIERS = [
  ["postnl", "PostNL", "PostNL Standard 0-23kg"],
  ["dpd", "DPD", "DPD Home 0-31.5kg"],
  ["dhl", "DHL", "DHL Parcel Connect 0-31.5kg"],
  ["chronopost", "Chronopost", "Chrono 18 0-2kg"],
] as const;

/** The lowercase hex HMAC-SHA256 of the raw body, as Sendcloud signs it. */
export function sendcloudSignature(body: string, key: string): string {
  return createHmac("sha256", key).update(body).digest("hex");
}

/** `date_created` and `date_updated` as real payloads write them: `03-04-2024 16:51:28`, no zone. */
function sendcloudDate(ms: number): string {
  const d = new Date(ms).toISOString();
  return `${d.slice(8, 10)}-${d.slice(5, 7)}-${d.slice(0, 4)} ${d.slice(11, 19)}`;
}

/** One parcel's status changes, each body in the real capture's key order and shape (2.4 sample 2). */
function parcelStory(rng: Rng, start: Date): CarrierEvent[] {
  const id = rng.int(100_000_000, 999_999_999);
  const [code, name, method] = rng.pick(CARRIERS);
  const methodId = rng.int(1, 9999);
  const tracking = `3S${rng.digits(13)}`;
  const order = String(rng.int(1000, 99999));
  const colli = uuid(rng);
  const country = { iso_2: "NL", iso_3: "NLD", name: "Netherlands" };
  const created = sendcloudDate(start.getTime());
  let at = start.getTime();
  return rng.pick(JOURNEYS).map(([statusId, message]) => {
    const announced = statusId !== 1001 && statusId !== 1002;
    const payload = {
      action: "parcel_status_changed",
      // Sendcloud sends a few milliseconds after the carrier's change.
      timestamp: at + rng.int(5, 900),
      carrier_status_change_timestamp: at,
      parcel: {
        id,
        name: "Mr Bob",
        company_name: "",
        address: "Stadhuisplein 10",
        address_2: "",
        address_divided: { street: "Stadhuisplein", house_number: "10" },
        city: "Eindhoven",
        postal_code: "5611 EM",
        telephone: "612345678",
        email: "contact@sendcloud.com",
        country,
        data: {},
        date_created: created,
        date_updated: sendcloudDate(at),
        date_announced: announced ? created : null,
        date_shipped: null,
        reference: "0",
        shipment: { id: methodId, name: method },
        status: { id: statusId, message },
        to_service_point: null,
        tracking_number: announced ? tracking : "",
        tracking_url: announced ? `https://tracking.sendcloud.sc/forward?carrier=${code}&code=${tracking}` : null,
        weight: "1.250",
        label: { normal_printer: null, label_printer: null },
        customs_declaration: {},
        order_number: order,
        insured_value: 0,
        total_insured_value: 0,
        parcel_items: [],
        documents: [],
        shipment_uuid: null,
        shipping_method: methodId,
        shipping_method_checkout_name: method,
        external_order_id: order,
        external_shipment_id: "",
        external_reference: null,
        is_return: false,
        carrier: { code, name, servicepoints_carrier_code: code },
        colli_uuid: colli,
        collo_nr: 0,
        collo_count: 1,
        length: "30.00",
        width: "20.00",
        height: "10.00",
        from_country: country,
        suppressed_statuses: [],
        source: "api_v2:bucket",
        extra_data: {},
      },
    };
    const event = {
      carrier: "sendcloud",
      label: `${statusId}:${message}`,
      payload,
      occurredAt: new Date(at),
      trackingNumber: announced ? tracking : null,
    };
    at += rng.int(60_000, 14_400_000);
    return event;
  });
}

export const simulate: CarrierSim = {
  story(rng, _run, n, start) {
    if (!rng.chance(0.05)) return parcelStory(rng, start);
    // Now and then the shop's integration changes: stored as `unknown`, never a shipment status.
    const payload = {
      action: "integration_updated",
      timestamp: start.getTime(),
      integration: {
        id: n,
        shop_name: "API Integration",
        system: "api",
        webhook_active: true,
        webhook_url: `https://parcelhook.example${PATH}`,
      },
    };
    return [{ carrier: "sendcloud", label: "integration_updated", payload, occurredAt: start, trackingNumber: null }];
  },
  sign(body, settings) {
    return {
      method: "POST",
      path: PATH,
      headers: {
        "content-type": "application/json",
        "Sendcloud-Signature": sendcloudSignature(body, settings[ENV] ?? ""),
      },
      body,
    };
  },
  bad(rng, _run, settings) {
    const key = settings[ENV] ?? "";
    const good = JSON.stringify(parcelStory(rng, new Date())[0]?.payload);
    const post = (label: string, headers: Record<string, string>, body: string, expectStatus: number) => ({
      label,
      method: "POST",
      path: PATH,
      headers: { "content-type": "application/json", ...headers },
      body,
      expectStatus,
    });
    const signed = (body: string) => ({ "Sendcloud-Signature": sendcloudSignature(body, key) });
    const mac = sendcloudSignature(good, key);
    const base64 = createHmac("sha256", key).update(good).digest("base64");
    const noStatusId = good.replace(/"status":\{"id":\d+,/, '"status":{');
    return [
      post("wrong secret", { "Sendcloud-Signature": sendcloudSignature(good, `${key}x`) }, good, 401),
      post("missing signature", {}, good, 401),
      post("uppercase hex", { "Sendcloud-Signature": mac.toUpperCase() }, good, 401),
      post("base64 digest", { "Sendcloud-Signature": base64 }, good, 401),
      // Sendcloud's own signature example: authentic, JSON, no event.
      post("signature example body", signed('{"key": "value"}'), '{"key": "value"}', 422),
      post("status without id", signed(noStatusId), noStatusId, 422),
      post("malformed JSON", signed('{"action": '), '{"action": ', 400),
    ];
  },
};
