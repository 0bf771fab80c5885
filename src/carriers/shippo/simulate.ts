// Node only (npm run simulate, load, faults): never imported by index.ts, so nothing here reaches the
// Worker's bundle.
import { createHmac } from "node:crypto";
import { wholeSecond } from "../../../scripts/simulate/carrier-time";
import type { CarrierEvent, CarrierSim, SimSettings } from "../../../scripts/simulate/types";

const PATH = "/webhooks/shippo";

type Step = readonly [status: string, substatus: string | null, text: string, details: string];
type Place = readonly [city: string, state: string, zip: string];

const PLACES: readonly Place[] = [
  ["Austin", "TX", "78701"],
  ["Memphis", "TN", "38118"],
  ["Brooklyn", "NY", "11201"],
  ["Oakland", "CA", "94621"],
];

const LABEL: Step = [
  "PRE_TRANSIT",
  "information_received",
  "Information about the package received.",
  "Shipping Label Created",
];
const ACCEPTED: Step = [
  "TRANSIT",
  "package_accepted",
  "Package has been accepted into the carrier network.",
  "Accepted at USPS Origin Facility",
];
const ARRIVED: Step = [
  "TRANSIT",
  "package_arrived",
  "Package has arrived at a facility.",
  "Arrived at USPS Regional Facility",
];
const DEPARTED: Step = [
  "TRANSIT",
  "package_departed",
  "Package has departed a facility.",
  "Departed USPS Regional Facility",
];
const OUT: Step = ["TRANSIT", "out_for_delivery", "Package is out for delivery.", "Out for Delivery"];
const DELIVERED: Step = ["DELIVERED", "delivered", "Package has been delivered.", "Delivered, In/At Mailbox"];

// Journeys along carriers-next.md 2.3's statuses and substatuses.
const JOURNEYS: readonly (readonly Step[])[] = [
  [LABEL, ACCEPTED, ARRIVED, DEPARTED, OUT, DELIVERED],
  [
    LABEL,
    ACCEPTED,
    ARRIVED,
    OUT,
    ["TRANSIT", "delivery_attempted", "Delivery of the package was attempted.", "Notice Left"],
    OUT,
    DELIVERED,
  ],
  [
    LABEL,
    ACCEPTED,
    ["TRANSIT", "delayed", "Package is delayed.", "In Transit, Arriving Late"],
    DEPARTED,
    OUT,
    DELIVERED,
  ],
  [
    LABEL,
    ACCEPTED,
    ARRIVED,
    ["TRANSIT", "pickup_available", "Package is available for pickup.", "Available for Pickup"],
    DELIVERED,
  ],
  [
    LABEL,
    ACCEPTED,
    ["TRANSIT", "address_issue", "Address issue.", "Addressee Unknown"],
    ["RETURNED", "return_to_sender", "Package is being returned.", "Return to Sender"],
  ],
];

function v1(t: string, body: string, secret: string): string {
  return createHmac("sha256", secret).update(`${t}.${body}`).digest("hex");
}

/** The URL with the token when one is set, and the signature header when an HMAC secret is. */
function request(body: string, s: SimSettings, t = String(Math.floor(Date.now() / 1000))) {
  const token = s.SHIPPO_WEBHOOK_TOKEN;
  const secret = s.SHIPPO_HMAC_SECRET;
  return {
    path: token ? `${PATH}?token=${encodeURIComponent(token)}` : PATH,
    headers: {
      "content-type": "application/json",
      ...(secret ? { "shippo-auth-signature": `t=${t},v1=${v1(t, body, secret)}` } : {}),
    },
  };
}

export const simulate: CarrierSim = {
  story(rng, _run, _n, start) {
    const trackingNumber = `9400${rng.digits(18)}`;
    const [city, state, zip] = rng.pick(PLACES);
    const events: CarrierEvent[] = [];
    let at = wholeSecond(start);
    for (const [status, substatus, text, details] of rng.pick(JOURNEYS)) {
      at = new Date(at.getTime() + rng.int(10, 600) * 60_000);
      const date = `${at.toISOString().slice(0, 19)}Z`;
      events.push({
        carrier: "shippo",
        label: `${status}:${substatus}`,
        payload: {
          event: "track_updated",
          test: false,
          data: {
            carrier: "usps",
            tracking_number: trackingNumber,
            servicelevel: { token: "usps_priority", name: "Priority Mail" },
            tracking_status: {
              object_id: rng.hex(32),
              status,
              substatus: substatus && { code: substatus, text, action_required: false },
              status_details: details,
              status_date: date,
              location: { city, state, zip, country: "US" },
            },
          },
        },
        occurredAt: at,
        trackingNumber,
      });
    }
    return events;
  },

  sign(body, settings) {
    return { method: "POST", body, ...request(body, settings) };
  },

  bad(rng, _run, settings) {
    const body = JSON.stringify({
      event: "track_updated",
      data: { carrier: "usps", tracking_number: `9400${rng.digits(18)}`, tracking_status: { status: "DELIVERED" } },
    });
    const good = request(body, settings);
    const post = (label: string, path: string, headers: Record<string, string>, b: string, expectStatus: number) => ({
      label,
      method: "POST",
      path,
      headers,
      body: b,
      expectStatus,
    });
    const stale = String(Math.floor(Date.now() / 1000) - 600);
    const noNumber = JSON.stringify({ event: "track_updated", data: { carrier: "usps" } });
    const bad = [
      post(
        "malformed JSON",
        request('{"event": ', settings).path,
        request('{"event": ', settings).headers,
        '{"event": ',
        400,
      ),
      post(
        "track event without a tracking number",
        request(noNumber, settings).path,
        request(noNumber, settings).headers,
        noNumber,
        422,
      ),
    ];
    if (settings.SHIPPO_WEBHOOK_TOKEN) {
      bad.push(post("no token", PATH, good.headers, body, 401));
      bad.push(post("another token", `${PATH}?token=x${settings.SHIPPO_WEBHOOK_TOKEN}`, good.headers, body, 401));
    }
    if (settings.SHIPPO_HMAC_SECRET) {
      const secret = settings.SHIPPO_HMAC_SECRET;
      const now = String(Math.floor(Date.now() / 1000));
      bad.push(post("no signature", good.path, { "content-type": "application/json" }, body, 401));
      bad.push(post("stale t", good.path, request(body, settings, stale).headers, body, 401));
      bad.push(
        post(
          "signed without t.",
          good.path,
          { "shippo-auth-signature": `t=${now},v1=${createHmac("sha256", secret).update(body).digest("hex")}` },
          body,
          401,
        ),
      );
    }
    return bad;
  },
};
