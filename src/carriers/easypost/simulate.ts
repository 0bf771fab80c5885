import { createHmac } from "node:crypto";
import type { Rng } from "../../../scripts/simulate/rng";
import type { CarrierEvent, CarrierSim, SignedRequest } from "../../../scripts/simulate/types";

const PATH = "/webhooks/easypost";
const SETTING = "EASYPOST_WEBHOOK_SECRET";

type Place = readonly [city: string, state: string, zip: string];
const PLACES: readonly Place[] = [
  ["ORLANDO", "FL", "32809"],
  ["KENLY", "NC", "27542"],
  ["EDISON", "NJ", "08817"],
  ["MEMPHIS", "TN", "38118"],
  ["LOUISVILLE", "KY", "40209"],
  ["BROOKLYN", "NY", "11201"],
  ["OAKLAND", "CA", "94621"],
];

// [status, status_detail, message] along real journeys (carriers-more.md 4.5).
type Step = readonly [status: string, detail: string, message: string];
const JOURNEYS: readonly (readonly Step[])[] = [
  [
    ["pre_transit", "label_created", "Shipment information sent to carrier"],
    ["in_transit", "arrived_at_facility", "Picked up"],
    ["in_transit", "departed_facility", "Departed facility"],
    ["in_transit", "arrived_at_destination", "Arrived at destination facility"],
    ["out_for_delivery", "out_for_delivery", "On vehicle for delivery"],
    ["delivered", "arrived_at_destination", "Delivered, Front Door/Porch"],
  ],
  [
    ["pre_transit", "label_created", "Shipment information sent to carrier"],
    ["in_transit", "arrived_at_facility", "Arrived at facility"],
    ["out_for_delivery", "out_for_delivery", "On vehicle for delivery"],
    ["failure", "delivery_exception", "Delivery attempted, no access to delivery location"],
    ["available_for_pickup", "arrived_at_pickup_location", "Available for pickup at post office"],
    ["delivered", "arrived_at_destination", "Picked up at post office"],
  ],
  [
    ["pre_transit", "label_created", "Shipment information sent to carrier"],
    ["in_transit", "weather_delay", "Delayed due to weather"],
    ["return_to_sender", "return", "Returned to sender: refused"],
  ],
  [
    ["unknown", "unknown", "Tracking information not yet available"],
    ["pre_transit", "label_created", "Label created"],
    ["cancelled", "cancelled", "Shipment cancelled"],
  ],
  [
    ["pre_transit", "label_created", "Shipment information sent to carrier"],
    ["error", "unknown", "Carrier could not be reached"],
  ],
];

const CARRIERS = ["USPS", "FedEx", "UPS", "DHLExpress"] as const;

const iso = (at: Date) => at.toISOString();
// Tracker times carry no milliseconds (carriers-more.md 4.7).
const secondsZ = (at: Date) => at.toISOString().replace(/\.\d{3}Z$/, "Z");

/** `X-Hmac-Signature`: `hmac-sha256-hex=` + hex HMAC-SHA256 of the body under the NFKD secret. */
export function easypostHeader(body: string, secret: string): string {
  return `hmac-sha256-hex=${createHmac("sha256", secret.normalize("NFKD")).update(body, "utf8").digest("hex")}`;
}

function envelope(
  rng: Rng,
  description: string,
  at: Date,
  result: unknown,
  previous: unknown,
): Record<string, unknown> {
  return {
    description,
    mode: "production",
    previous_attributes: previous,
    created_at: iso(at),
    pending_urls: ["https://parcelhook.example/webhooks/easypost"],
    completed_urls: [],
    updated_at: iso(at),
    id: `evt_${rng.hex(32)}`,
    user_id: "user_5f8e2c1a9b7d4e3f",
    status: "pending",
    object: "Event",
    result,
  };
}

/** One Tracker's life: `tracker.created`, then a `tracker.updated` per carrier scan, each carrying every detail so far. */
function trackerStory(rng: Rng, start: Date): CarrierEvent[] {
  const trackerId = `trk_${rng.hex(32)}`;
  const carrier = rng.pick(CARRIERS);
  const code = carrier === "USPS" ? `9400${rng.digits(18)}` : rng.digits(12);
  const createdAt = new Date(Math.floor(start.getTime() / 1000) * 1000);
  const details: Record<string, unknown>[] = [];
  const events: CarrierEvent[] = [];
  let at = createdAt;
  let previous: string | null = null;
  const journey = rng.pick(JOURNEYS);
  for (let i = 0; i < journey.length; i++) {
    const [status, detail, message] = journey[i] as Step;
    const place = rng.pick(PLACES);
    details.push({
      object: "TrackingDetail",
      message,
      description: message,
      status,
      status_detail: detail,
      datetime: secondsZ(at),
      source: carrier,
      carrier_code: "",
      tracking_location: { object: "TrackingLocation", city: place[0], state: place[1], country: "US", zip: place[2] },
    });
    const sent = new Date(at.getTime() + rng.int(5, 120) * 1000);
    const result = {
      id: trackerId,
      object: "Tracker",
      mode: "production",
      tracking_code: code,
      status,
      status_detail: detail,
      created_at: secondsZ(createdAt),
      updated_at: secondsZ(sent),
      signed_by: status === "delivered" && rng.chance(0.5) ? "J DOE" : null,
      weight: rng.int(10, 900) / 10,
      est_delivery_date: secondsZ(new Date(createdAt.getTime() + 3 * 86_400_000)),
      shipment_id: rng.chance(0.5) ? `shp_${rng.hex(32)}` : null,
      carrier,
      tracking_details: [...details],
      finalized: status === "delivered" || status === "return_to_sender" || status === "cancelled",
      is_return: status === "return_to_sender",
      public_url: `https://track.easypost.com/djE6${rng.hex(40)}`,
    };
    const description = i === 0 ? "tracker.created" : "tracker.updated";
    events.push({
      carrier: "easypost",
      label: `${description}:${status}`,
      payload: envelope(rng, description, sent, result, previous === null ? {} : { status: previous }),
      occurredAt: at,
      trackingNumber: code,
    });
    previous = status;
    at = new Date(at.getTime() + rng.int(600, 14_400) * 1000);
  }
  return events;
}

/** A batch's life (not a tracker event: stored as `unknown`, no shipment moves). */
function batchStory(rng: Rng, start: Date): CarrierEvent[] {
  const id = `batch_${rng.hex(32)}`;
  const n = rng.int(2, 40);
  const created = new Date(Math.floor(start.getTime() / 1000) * 1000);
  const done = new Date(created.getTime() + rng.int(30, 600) * 1000);
  const batch = (state: string, at: Date, purchased: number) => ({
    id,
    object: "Batch",
    mode: "production",
    state,
    num_shipments: n,
    reference: null,
    created_at: secondsZ(created),
    updated_at: secondsZ(at),
    scan_form: null,
    shipments: [],
    status: { created: n - purchased, queued_for_purchase: 0, creation_failed: 0, postage_purchased: purchased },
    pickup: null,
    label_url: null,
  });
  return [
    { state: "created", at: created, purchased: 0, description: "batch.created", previous: null },
    { state: "purchased", at: done, purchased: n, description: "batch.updated", previous: { state: "created" } },
  ].map((s) => ({
    carrier: "easypost" as const,
    label: `${s.description}:${s.state}`,
    payload: envelope(rng, s.description, s.at, batch(s.state, s.at, s.purchased), s.previous),
    occurredAt: s.at,
    trackingNumber: null,
  }));
}

function post(body: string, headers: Record<string, string>): SignedRequest {
  return { method: "POST", path: PATH, headers: { "content-type": "application/json", ...headers }, body };
}

export const simulate: CarrierSim = {
  story(rng, _run, _n, start) {
    return rng.chance(0.1) ? batchStory(rng, start) : trackerStory(rng, start);
  },

  sign(body, settings) {
    return post(body, { "x-hmac-signature": easypostHeader(body, settings[SETTING] ?? "") });
  },

  bad(rng, _run, settings) {
    const secret = settings[SETTING] ?? "";
    const [event] = trackerStory(rng, new Date());
    const body = JSON.stringify(event?.payload);
    const signed = (b: string) => ({ "x-hmac-signature": easypostHeader(b, secret) });
    const bad = (label: string, headers: Record<string, string>, b: string, expectStatus: number) => ({
      label,
      ...post(b, headers),
      expectStatus,
    });
    const good = easypostHeader(body, secret);
    const invalid = JSON.stringify({ id: `evt_${rng.hex(32)}`, description: "tracker.updated", result: { id: 7 } });
    const notJson = '{"description":"tracker.updated",';
    return [
      bad("wrong secret", { "x-hmac-signature": easypostHeader(body, `${secret}-x`) }, body, 401),
      bad("missing signature", {}, body, 401),
      // EasyPost's libraries compare the whole value: the bare digest, or the digest in capitals, is not it.
      bad("signature without its prefix", { "x-hmac-signature": good.slice("hmac-sha256-hex=".length) }, body, 401),
      bad("signature in capitals", { "x-hmac-signature": good.toUpperCase() }, body, 401),
      bad("signature of the re-serialized body", signed(JSON.stringify(JSON.parse(body), null, 2)), body, 401),
      bad("not a Tracker", signed(invalid), invalid, 422),
      bad("malformed JSON", signed(notJson), notJson, 400),
    ];
  },
};
