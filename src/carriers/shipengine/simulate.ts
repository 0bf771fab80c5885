// Node only (npm run simulate, load, faults): never imported by index.ts, so nothing here reaches the
// Worker's bundle. It signs with the TEST key of carriers-next.md 6.1 (made for that file, not
// ShipEngine's), whose public half .dev.vars.example pins in SHIPENGINE_PUBLIC_KEYS.
import { createSign } from "node:crypto";
import { wholeSecond } from "../../../scripts/simulate/carrier-time";
import type { CarrierEvent, CarrierSim } from "../../../scripts/simulate/types";

const PATH = "/webhooks/shipengine";
export const TEST_KID = "parcelhook-test-2026-12";
export const TEST_PRIVATE_KEY =
  "-----BEGIN PRIVATE KEY-----\nMIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQDIk8RZrxAoOWVy\nuSV6D3c7nZEK2m6+vyzpyjg3HruoTYStoxdRJ540Czxpn2ZG34gDSF9vQOKP56Bn\nJ8B5oGTBIEgoyNpt6lTW+QlziASZHK+E76G/g7fcCwfdzKvQFz3NPtVgNYtduCr8\nfB9LW/qQCVRiqO+gFDeZmFdaa5xE7caif8U1+J9RM43BhCcd9Z00q+91d2qCYadR\njndSaMot7/XmFhFd4DB6NJjCoJbRc4+oXTT2x4g683MY6IXEnU3vbvZqPChob186\nV57E8LNifOyfcFWKk/1ke6E+xaKivz1bljVcB09oQAhm14LHunjhztqGN3w0Pj4p\nwLqPU0IBAgMBAAECggEAGFK2BP+qHIygSSYbXbbOKVYxWnD0bNBzXnsBr+p7zHwx\nBprwVwywPkSuC+ty7E2LWYWPYCcMynFm5dd/22f4S+Sxp3N67IkWBncu/pn8H8Kn\nJL5n/ZjYJRiX2L1rCOommhMAbmEz4Da3DMTzCRETfJ/LAkdU/rMw7mD3V91UlxWN\nETDRkShPddDAjKM22gJSQb4i0sGFT0H4ZuUNXRJW3A+uPVZNA8mCu1/h3FBYqAju\n5/GvRz6kO4txZ1Grmod/NLW3p+P/bBdt8oQsc4hdvBV8sgHFzNU4zYILk8wnv25C\n1wm8g7LRLxmazjHQxPb4oTVHStRfYVlzhjRjgqBGqQKBgQDmtXlOOr4AhSabVJI3\nukqd+XxDMgP9vdHZ8h6fP0gIf+VcviAl64QE1a8ICy9MFvnIj+0mBS3HTPZDlpAC\nfbQf/O8RX6BtpkiRcelkOPb+5ElvdP8w+R3aa8OeCPNEm6clhIcye2Gqekue5eCL\nL9IIQkVsIxpiEREPYDDqQK/tGQKBgQDekLCD3/xWvjmOhyg0VvmU2GdioW0Rp9Lf\n1J3/2ChVJSO51qkYV950dAsOTvbzvGjYHo8grLXCMi4RnLNkog4hiwV3NBWQoWOI\nufWi71KhI6Z/HFu8d9HxtlCZ/8p3Q1FnzOzv+rMnIv2JAFrWV3jvd8UrC3KeL9t4\nIwmB4PixKQKBgQCm3XDchR4xsByJUnTjO6mGcxFOZJmAaE+kzDsbwSBvjVmuZ5FG\n+/4jpQ4Qyk4uQZvuVTMYQbynnuGrZvXH53VlgYLEVR7qz89C61n8dDsphqIarEt6\n92OBPFpjLmQNJmuRdjZ268hrDkMtrWRoJ3FJKe2eVhFaBrAJJ/CZLapQ2QKBgErF\nLxfOqtZ1Z56zV1VmFsjjfrAK7TpuOBDMPBxUgRBBvuPS8tHjyy8yQPiYnKw7krlw\nYsMmYpWQCBwQmc/oBXlNXBO04r3JCkhHuPb5Ebhi4q93VnZVhql+h0uFPH6elf2a\nQctJXOB8B9L71IiHsHA6u3l/ig0MpN2SX8JLUyEpAoGBAKVRym9sbA5095MZQkvE\n+jndgUD1QTtflWSFKiFPud02Yk3WRovRUjblEcdXNBc6UsA0Uont7edQnrLEnn6N\nFS5kLPLVcfBfJQv9LzyDb9wE4BobgIuHn0QhR2ntIjXTWc07Mwls9Q3IUmvunSJv\nNGDA8oG1UfwQDtRA5Ubj3n9s\n-----END PRIVATE KEY-----\n";

type Step = readonly [status: string, detail: string | null, description: string];
type Place = readonly [city: string, state: string, zip: string];

const PLACES: readonly Place[] = [
  ["MEMPHIS", "TN", "38118"],
  ["LOUISVILLE", "KY", "40209"],
  ["NEWARK", "NJ", "07114"],
  ["BROOKLYN", "NY", "11201"],
];

const LABEL: Step = ["NY", "NOT_YET_RECEIVED_BY_CARRIER", "Shipper created a label"];
const ACCEPTED: Step = ["AC", "RECEIVED_BY_CARRIER", "Origin Scan"];
const MOVING: Step = ["IT", "IN_TRANSIT", "Departed from Facility"];
const OUT: Step = ["IT", "OUT_FOR_DELIVERY", "Out For Delivery Today"];
const DONE: Step = ["DE", "DELIVERED", "DELIVERED"];

// Journeys along carriers-next.md 8's codes (legacy bodies have no detail code).
const JOURNEYS: readonly (readonly Step[])[] = [
  [LABEL, ACCEPTED, MOVING, OUT, DONE],
  [LABEL, ACCEPTED, MOVING, OUT, ["AT", "ATTEMPTED_DELIVERY", "Notice Left"], OUT, DONE],
  [LABEL, ACCEPTED, ["EX", "HELD_BY_CUSTOMS", "Held in customs"], MOVING, OUT, DONE],
  [LABEL, ACCEPTED, MOVING, ["SP", "AWAITING_COLLECTION_FROM_PICKUP_POINT", "At access point"], DONE],
  [LABEL, ACCEPTED, ["EX", "REFUSED_BY_CUSTOMER", "Refused, returning to sender"]],
];

/** The three headers ShipEngine sends for this body, signed at `at`. */
export function shipengineHeaders(body: string, at = new Date(), privateKey = TEST_PRIVATE_KEY, kid = TEST_KID) {
  const timestamp = `${at.toISOString().slice(0, 19)}Z`;
  return {
    "content-type": "application/json",
    "x-shipengine-rsa-sha256-key-id": kid,
    "x-shipengine-rsa-sha256-signature": createSign("RSA-SHA256")
      .update(`${timestamp}.${body}`)
      .sign(privateKey, "base64"),
    "x-shipengine-timestamp": timestamp,
  };
}

export const simulate: CarrierSim = {
  story(rng, _run, _n, start) {
    const legacy = rng.chance(0.25);
    const trackingNumber = `1Z${rng.hex(6).toUpperCase()}${rng.digits(10)}`;
    const label = `se-${rng.digits(10)}`;
    const events: CarrierEvent[] = [];
    const history: Record<string, unknown>[] = [];
    let at = wholeSecond(start);
    for (const [status, detail, description] of rng.pick(JOURNEYS)) {
      at = new Date(at.getTime() + rng.int(10, 600) * 60_000);
      const [city, state, zip] = rng.pick(PLACES);
      history.unshift({
        occurred_at: `${at.toISOString().slice(0, 19)}Z`,
        description,
        city_locality: city,
        state_province: state,
        postal_code: zip,
        country_code: "US",
        status_code: status,
        ...(legacy ? {} : { status_detail_code: detail }),
      });
      events.push({
        carrier: "shipengine",
        label: legacy ? status : `${status}:${detail}`,
        payload: legacy
          ? {
              resource_url: `https://api.shipengine.com/v1/tracking?carrier_code=ups&tracking_number=${trackingNumber}`,
              resource_type: "API_TRACK",
              data: { tracking_number: trackingNumber, carrier_code: "ups", status_code: status, events: [...history] },
            }
          : {
              resource_url: `https://api.shipstation.com/v2/labels/${label}/track`,
              resource_type: "TRACK_EVENT_V2",
              data: {
                tracking_number: trackingNumber,
                carrier_code: "ups",
                status_code: status,
                status_detail_code: detail,
                status_description: description,
                events: [...history],
              },
            },
        occurredAt: at,
        trackingNumber,
      });
    }
    return events;
  },

  sign(body) {
    return { method: "POST", path: PATH, headers: shipengineHeaders(body), body };
  },

  keySource: {
    urlSetting: "SHIPENGINE_JWKS_URL",
    pinnedSetting: "SHIPENGINE_PUBLIC_KEYS",
    withKid: (req, kid) => ({ ...req, headers: { ...req.headers, "x-shipengine-rsa-sha256-key-id": kid } }),
  },

  bad(rng) {
    const body = JSON.stringify({
      resource_type: "TRACK_EVENT_V2",
      data: { tracking_number: `1Z${rng.digits(16)}`, status_code: "DE", carrier_code: "ups" },
    });
    const good = shipengineHeaders(body);
    const post = (label: string, headers: Record<string, string>, b: string, expectStatus: number) => ({
      label,
      method: "POST",
      path: PATH,
      headers,
      body: b,
      expectStatus,
    });
    const sig = good["x-shipengine-rsa-sha256-signature"];
    const flipped = sig[10] === "A" ? "B" : "A";
    const noNumber = JSON.stringify({ resource_type: "TRACK_EVENT_V2", data: { status_code: "DE" } });
    return [
      post("no signature headers", { "content-type": "application/json" }, body, 401),
      post("an unknown kid", { ...good, "x-shipengine-rsa-sha256-key-id": "not-a-kid" }, body, 401),
      post("a timestamp 6 minutes old", shipengineHeaders(body, new Date(Date.now() - 6 * 60_000)), body, 401),
      post(
        "one signature character changed",
        { ...good, "x-shipengine-rsa-sha256-signature": sig.slice(0, 10) + flipped + sig.slice(11) },
        body,
        401,
      ),
      post(
        "the body alone signed",
        {
          ...good,
          "x-shipengine-rsa-sha256-signature": createSign("RSA-SHA256").update(body).sign(TEST_PRIVATE_KEY, "base64"),
        },
        body,
        401,
      ),
      post("malformed JSON", shipengineHeaders('{"resource_type": '), '{"resource_type": ', 400),
      post("a tracking resource without a tracking number", shipengineHeaders(noNumber), noNumber, 422),
    ];
  },
};
