import { type Rng, uuid } from "../../../scripts/simulate/rng";
import type { CarrierEvent, CarrierSim } from "../../../scripts/simulate/types";

/** SwiftPOD's microsecond UTC time, `2022-07-08T13:24:00.128774Z`. */
function swiftpodTime(at: Date, micros: number): string {
  return at.toISOString().replace(/\.\d{3}Z$/, `.${String(at.getUTCMilliseconds()).padStart(3, "0")}${micros}Z`);
}

type Step = { name: "order_notify"; status: string; rejected?: string } | { name: "shipment_notify"; tracking: string };

// Order statuses and tracking statuses from carriers.md; `out_for_delivery` is undocumented but
// "others may appear", and must be stored as `unknown`.
const JOURNEYS: readonly (readonly Step[])[] = [
  [
    { name: "order_notify", status: "new_order" },
    { name: "order_notify", status: "in_production" },
    { name: "order_notify", status: "shipped" },
    { name: "shipment_notify", tracking: "in_transit" },
    { name: "shipment_notify", tracking: "delivered" },
  ],
  [
    { name: "order_notify", status: "new_order" },
    { name: "order_notify", status: "on_hold" },
    { name: "order_notify", status: "in_production" },
    { name: "order_notify", status: "shipped" },
    { name: "shipment_notify", tracking: "in_transit" },
    { name: "shipment_notify", tracking: "out_for_delivery" },
  ],
  [
    { name: "order_notify", status: "new_order" },
    { name: "order_notify", status: "rejected", rejected: "invalid_artwork" },
  ],
  [
    { name: "order_notify", status: "new_order" },
    { name: "order_notify", status: "in_production" },
    { name: "order_notify", status: "in_production_cancelled" },
  ],
];

function order(rng: Rng, n: number, orderId: string, status: string, updated: string, tracking: string | null) {
  const sku = rng.pick(["UNPT1B00M", "UNGH1W00L", "UNHD2K00S"]);
  return {
    id: n,
    order_id: orderId,
    test_order: rng.chance(0.1),
    created_at: "2022-01-07T14:11:50.000000Z",
    updated_at: updated,
    status,
    rejected_at: null,
    cancelled_at: null,
    address: {
      name: "John Smith",
      company: "DEMO",
      phone: "(330) 638-1331",
      street1: "4736 Phillips Rice Rd",
      street2: null,
      city: "Cortland",
      state: "OH",
      country: "US",
      zip: "44410",
    },
    line_items: [
      {
        id: n,
        sku,
        quantity: rng.int(1, 3),
        order_item_id: `${orderId}-001`,
        print_files: [{ key: "front", url: "https://via.placeholder.com/2400/09f/fff.png" }],
        preview_files: [{ key: "front", url: "https://via.placeholder.com/2400/09f/fff.png" }],
      },
    ],
    trackings: tracking
      ? [
          {
            tracking_number: tracking,
            tracking_url: `https://tools.usps.com/go/TrackConfirmAction.action?tLabels=${tracking}`,
            carrier: "USPS",
            created_at: "2022-07-21T10:53:46.000000+00:00",
            status: "in_transit",
            label_url: "https://easypost-files.s3.us-west-2.amazonaws.com/files/postage_label/label.png",
            shipped_items: [{ order_item_id: `${orderId}-001`, quantity: 1 }],
            primary: true,
          },
        ]
      : [],
    shipping_method: "standard",
  };
}

function stockEvent(rng: Rng, n: number, at: Date): CarrierEvent {
  const status = rng.pick(["in_stock", "out_of_stock", "discontinued"]);
  return {
    carrier: "swiftpod",
    label: `stock_notify:${status}`,
    occurredAt: at,
    trackingNumber: null,
    payload: {
      event: { uuid: uuid(rng), name: "stock_notify", status, timestamp: swiftpodTime(at, rng.int(100, 999)) },
      data: {
        id: n,
        name: "Gildan 5000 Heavy Cotton T-Shirt",
        sku: `UNGH1W${rng.digits(2)}${rng.pick(["S", "M", "L", "XL"])}`,
        color: rng.pick(["WHITE", "BLACK", "NAVY"]),
        style: "5000",
        size: rng.pick(["S", "M", "L", "XL"]),
        brand: "Gildan",
        print_areas: ["front", "back"],
        stock: status === "in_stock" ? rng.int(1, 900) : 0,
        status,
      },
    },
  };
}

/** Node-only: what `npm run simulate`, load, faults and the bench send as this carrier. */
export const simulate: CarrierSim = {
  story(rng, run, n, start) {
    const orderId = `${run}-${n}-A`;
    const tracking = `9400${rng.digits(18)}`;
    let at = start;
    const events: CarrierEvent[] = [];
    let shipped = false;
    for (const step of rng.pick(JOURNEYS)) {
      const timestamp = swiftpodTime(at, rng.int(100, 999));
      if (step.name === "order_notify") {
        if (step.status === "shipped") shipped = true;
        const data: Record<string, unknown> = order(rng, n, orderId, step.status, timestamp, shipped ? tracking : null);
        if (step.rejected) {
          data.rejected_status = step.rejected;
          data.rejected_at = timestamp;
        }
        events.push({
          carrier: "swiftpod",
          label: `order_notify:${step.status}`,
          occurredAt: at,
          trackingNumber: null,
          payload: { event: { uuid: uuid(rng), name: "order_notify", status: step.status, timestamp }, data },
        });
      } else {
        events.push({
          carrier: "swiftpod",
          label: `shipment_notify:${step.tracking}`,
          occurredAt: at,
          trackingNumber: tracking,
          payload: {
            event: {
              uuid: uuid(rng),
              tracking: {
                tracking_number: tracking,
                tracking_status: step.tracking,
                carrier_code: "USPS",
                tracking_url: `https://tools.usps.com/go/TrackConfirmAction.action?tLabels=${tracking}`,
                shipped_items: [{ order_item_id: `${orderId}-001`, quantity: 1 }],
              },
              name: "shipment_notify",
              timestamp,
            },
            data: order(rng, n, orderId, "shipped", timestamp, tracking),
          },
        });
      }
      at = new Date(at.getTime() + rng.int(60_000, 7_200_000));
    }
    // Stock changes arrive on their own, between orders.
    if (n % 3 === 0) events.push(stockEvent(rng, n, at));
    return events;
  },
  sign(body, settings) {
    return {
      method: "POST",
      path: `/webhooks/swiftpod?secret=${encodeURIComponent(settings.SWIFTPOD_WEBHOOK_SECRET ?? "")}`,
      headers: { "content-type": "application/json" },
      body,
    };
  },
  bad(rng, _run, settings) {
    const body = JSON.stringify(stockEvent(rng, rng.int(1, 1e6), new Date()).payload);
    const post = (label: string, query: string, b: string, expectStatus: number) => ({
      label,
      method: "POST",
      path: `/webhooks/swiftpod${query}`,
      headers: { "content-type": "application/json" },
      body: b,
      expectStatus,
    });
    const ok = `?secret=${encodeURIComponent(settings.SWIFTPOD_WEBHOOK_SECRET ?? "")}`;
    return [
      post(
        "wrong secret",
        `?secret=${encodeURIComponent(`${settings.SWIFTPOD_WEBHOOK_SECRET ?? ""}-wrong`)}`,
        body,
        401,
      ),
      post("missing secret", "", body, 401),
      post("event without a name", ok, JSON.stringify({ event: { uuid: uuid(rng) }, data: {} }), 422),
      post("malformed JSON", ok, body.slice(0, 40), 400),
    ];
  },
};
