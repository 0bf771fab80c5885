// Node only (npm run simulate, load, faults): never imported by index.ts, so nothing here reaches the
// Worker's bundle.
import { createHmac } from "node:crypto";
import { uuid } from "../../../scripts/simulate/rng";
import type { CarrierEvent, CarrierSim } from "../../../scripts/simulate/types";

type Step = readonly [tag: string, subtag: string, subtagMessage: string, message: string];

const INFO: Step = ["InfoReceived", "InfoReceived_001", "Info Received", "Shipment information received"];
const PICKED: Step = ["InTransit", "InTransit_002", "Acceptance scan", "Parcel picked up by the courier"];
const HUB: Step = ["InTransit", "InTransit_003", "Arrival scan", "Arrived at the sorting centre"];
const LEFT: Step = ["InTransit", "InTransit_007", "Departure Scan", "Departed the sorting centre"];
const OUT: Step = ["OutForDelivery", "OutForDelivery_001", "Out for Delivery", "Out for delivery"];
const DONE: Step = ["Delivered", "Delivered_001", "Delivered", "Delivered"];

// Journeys along carriers-more.md 1.6's tags and subtags.
const JOURNEYS: readonly (readonly Step[])[] = [
  [INFO, PICKED, HUB, LEFT, OUT, DONE],
  [INFO, PICKED, HUB, OUT, ["AttemptFail", "AttemptFail_002", "Addressee not available", "Receiver absent"], OUT, DONE],
  [
    INFO,
    HUB,
    OUT,
    ["AvailableForPickup", "AvailableForPickup_001", "Available for pickup", "At the pickup point"],
    ["Delivered", "Delivered_002", "Picked up by the customer", "Collected"],
  ],
  [
    INFO,
    PICKED,
    ["Exception", "Exception_004", "Delayed (Customs clearance)", "Held at customs"],
    ["InTransit", "InTransit_005", "Customs clearance completed", "Released by customs"],
    OUT,
    DONE,
  ],
  [
    INFO,
    PICKED,
    HUB,
    ["Exception", "Exception_007", "Incorrect Address", "Address incomplete"],
    ["Exception", "Exception_010", "Returning to sender", "Returning to sender"],
    ["Exception", "Exception_011", "Returned to sender", "Returned to sender"],
  ],
  [INFO, ["Exception", "Exception_020", "Shipment cancelled", "Shipment cancelled by the sender"]],
];

const COURIERS = [
  { slug: "dpd-poland", country: "POL", city: "Warszawa", postal: "02-274", offset: 60 },
  { slug: "usps", country: "USA", city: "BOCA RATON", postal: "33487", offset: -300 },
  { slug: "dhl-germany", country: "DEU", city: "Leipzig", postal: "04159", offset: 60 },
  { slug: "royal-mail", country: "GBR", city: "Swindon", postal: "SN1 1AA", offset: 0 },
] as const;

// Legacy (no as-webhook-version header) and two dated versions whose Tracking models differ.
const VERSIONS = ["legacy", "2025-07", "2026-07"] as const;
type Version = (typeof VERSIONS)[number];

/** `2026-11-24T14:37:00+01:00` (or with no offset at all, as many carriers give it). */
function localTime(at: Date, offsetMinutes: number, withOffset: boolean): string {
  const local = new Date(at.getTime() + offsetMinutes * 60_000).toISOString().slice(0, 19);
  if (!withOffset) return local;
  const sign = offsetMinutes < 0 ? "-" : "+";
  const abs = Math.abs(offsetMinutes);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}

function secondsOf(at: Date): Date {
  return new Date(Math.floor(at.getTime() / 1000) * 1000);
}

function hmac(body: string, secret: string, encoding: "base64" | "hex" = "base64"): string {
  return createHmac("sha256", secret).update(body).digest(encoding);
}

function versionOf(body: string): Version {
  if (body.includes('"origin_country_iso3"')) return "legacy";
  return body.includes('"postal_code"') ? "2026-07" : "2025-07";
}

export const simulate: CarrierSim = {
  story(rng, _run, _n, start) {
    const courier = rng.pick(COURIERS);
    const version = rng.pick(VERSIONS);
    // A quarter of carriers give checkpoint times without an offset: those events take `ts`.
    const withOffset = rng.chance(0.75);
    const trackingNumber = `${courier.slug.slice(0, 2).toUpperCase()}${rng.digits(16)}`;
    const id = version === "legacy" ? rng.hex(24) : rng.hex(32);
    const checkpoints: Record<string, unknown>[] = [];
    const events: CarrierEvent[] = [];
    let at = secondsOf(start);
    let lastTag: Step | null = null;

    const send = (event: string, step: Step, sentAt: Date, occurredAt: Date, extra: Record<string, unknown> = {}) => {
      const msg: Record<string, unknown> = {
        id,
        tracking_number: trackingNumber,
        slug: courier.slug,
        tag: step[0],
        subtag: step[1],
        subtag_message: step[2],
        ...(version === "legacy"
          ? { origin_country_iso3: courier.country, destination_country_iso3: courier.country }
          : { origin_country_region: courier.country, destination_country_region: courier.country }),
        courier_tracking_link: `https://track.example/${courier.slug}/${trackingNumber}`,
        checkpoints: [...checkpoints],
        ...extra,
      };
      events.push({
        carrier: "aftership",
        label: `${event}:${step[1]}`,
        payload: {
          event,
          event_id: uuid(rng),
          is_tracking_first_tag: lastTag?.[0] !== step[0],
          msg,
          ts: Math.floor(sentAt.getTime() / 1000),
        },
        occurredAt,
        trackingNumber,
      });
    };

    if (rng.chance(0.15)) {
      // Still Pending past the account's threshold, before the first scan.
      const sentAt = new Date(at.getTime() + 24 * 3_600_000);
      send("tracking_pending_time", ["Pending", "Pending_001", "Pending", ""], sentAt, sentAt);
      at = sentAt;
    }
    for (const step of rng.pick(JOURNEYS)) {
      at = new Date(at.getTime() + rng.int(10, 600) * 60_000);
      const checkpoint: Record<string, unknown> = {
        checkpoint_time: localTime(at, courier.offset, withOffset),
        message: step[3],
        city: courier.city,
        tag: step[0],
        subtag: step[1],
        subtag_message: step[2],
        slug: courier.slug,
      };
      if (version === "legacy") Object.assign(checkpoint, { zip: courier.postal, country_iso3: courier.country });
      else if (version === "2025-07")
        Object.assign(checkpoint, { zip: courier.postal, country_region: courier.country });
      else Object.assign(checkpoint, { postal_code: courier.postal, country_region: courier.country });
      checkpoints.push(checkpoint);
      const sentAt = new Date(at.getTime() + rng.int(30, 1200) * 1000);
      const newestAt = withOffset ? at : sentAt;
      send("tracking_update", step, sentAt, newestAt);
      if (step === HUB && rng.chance(0.3)) {
        const reviseAt = new Date(sentAt.getTime() + rng.int(5, 120) * 60_000);
        const eta = new Date(at.getTime() + 2 * 86_400_000).toISOString().slice(0, 10);
        send("edd_revise", step, reviseAt, withOffset ? at : reviseAt, {
          latest_estimated_delivery: { type: "specific", source: "AfterShip EDD", datetime: eta },
        });
      }
      lastTag = step;
      at = sentAt;
    }
    return events;
  },

  sign(body, settings) {
    const version = versionOf(body);
    return {
      method: "POST",
      path: "/webhooks/aftership",
      headers: {
        "content-type": "application/json",
        "aftership-hmac-sha256": hmac(body, settings.AFTERSHIP_WEBHOOK_SECRET ?? ""),
        ...(version === "legacy" ? {} : { "as-webhook-version": version }),
      },
      body,
    };
  },

  bad(rng, _run, settings) {
    const secret = settings.AFTERSHIP_WEBHOOK_SECRET ?? "";
    const good = {
      event: "tracking_update",
      event_id: uuid(rng),
      is_tracking_first_tag: true,
      msg: {
        id: rng.hex(32),
        tracking_number: rng.digits(16),
        slug: "usps",
        tag: "Delivered",
        subtag: "Delivered_001",
      },
      ts: Math.floor(Date.now() / 1000),
    };
    const body = JSON.stringify(good);
    const post = (label: string, headers: Record<string, string>, b: string, expectStatus: number) => ({
      label,
      method: "POST",
      path: "/webhooks/aftership",
      headers: { "content-type": "application/json", ...headers },
      body: b,
      expectStatus,
    });
    const signed = (b: string) => ({ "aftership-hmac-sha256": hmac(b, secret) });
    const millis = JSON.stringify({ ...good, ts: Date.now() });
    return [
      post("missing signature", {}, body, 401),
      post("signature with another secret", { "aftership-hmac-sha256": hmac(body, `${secret}x`) }, body, 401),
      // The right digest in the wrong encoding (carriers-more.md 6.1).
      post("signature in hex", { "aftership-hmac-sha256": hmac(body, secret, "hex") }, body, 401),
      post("signature of the pretty-printed body", signed(JSON.stringify(good, null, 2)), body, 401),
      post("malformed JSON", signed('{"event": '), '{"event": ', 400),
      post("ts in milliseconds", signed(millis), millis, 422),
    ];
  },
};
