// Node only (npm run simulate, load, faults): never imported by index.ts, so nothing here reaches the
// Worker's bundle.
import { createHash, createHmac } from "node:crypto";
import { localIso, wholeSecond } from "../../../scripts/simulate/carrier-time";
import type { CarrierEvent, CarrierSim } from "../../../scripts/simulate/types";

const PATH = "/webhooks/fedex";
const SETTING = "FEDEX_SECURITY_TOKEN";

type Step = readonly [code: string, description: string, derived: string];
type Place = readonly [city: string, state: string, zip: string, offsetMinutes: number];

const PLACES: readonly Place[] = [
  ["MEMPHIS", "TN", "38118", -360],
  ["NEWARK", "NJ", "07114", -300],
  ["INDIANAPOLIS", "IN", "46241", -300],
  ["OAKLAND", "CA", "94621", -480],
  ["NEW YORK", "NY", "10001", -300],
];

const OC: Step = ["OC", "Shipment information sent to FedEx", "IN"];
const PU: Step = ["PU", "Picked up", "PU"];
const AR: Step = ["AR", "Arrived at FedEx location", "IT"];
const DP: Step = ["DP", "Departed FedEx location", "IT"];
const OD: Step = ["OD", "On FedEx vehicle for delivery", "OD"];
const DL: Step = ["DL", "Delivered", "DL"];

// Journeys along carriers-next.md 4.4's codes.
const JOURNEYS: readonly (readonly Step[])[] = [
  [OC, PU, AR, DP, AR, OD, DL],
  [OC, PU, AR, OD, ["DE", "Delivery exception", "DE"], OD, DL],
  [OC, PU, AR, ["DY", "Delay", "DY"], DP, OD, DL],
  [OC, PU, AR, ["CD", "Clearance delay", "CD"], ["CC", "International shipment release - Import", "IT"], OD, DL],
  [OC, PU, AR, OD, ["HL", "Ready for pickup at FedEx location", "HL"], DL],
  [OC, PU, AR, ["RS", "Returning package to shipper", "RS"]],
  [OC, ["CA", "Shipment cancelled by sender", "CA"]],
];

function hmac(body: string, token: string, encoding: "base64" | "hex" = "base64"): string {
  return createHmac("sha256", token).update(body).digest(encoding);
}

function envelope(trackingNumber: string, scans: Record<string, unknown>[], attempt = 1): Record<string, unknown> {
  const newest = scans[0] as Record<string, unknown>;
  return {
    outputMetaData: [{ timestamp: new Date().toISOString(), attemptNumber: attempt }],
    output: {
      completeTrackResults: [
        {
          trackingNumber,
          trackResults: [
            {
              trackingNumberInfo: { trackingNumber, carrierCode: "FDXE" },
              latestStatusDetail: {
                code: newest.eventType,
                derivedCode: newest.derivedStatusCode,
                description: newest.eventDescription,
                scanLocation: newest.scanLocation,
              },
              scanEvents: scans,
            },
          ],
        },
      ],
    },
  };
}

export const simulate: CarrierSim = {
  story(rng, _run, _n, start) {
    const trackingNumber = `7${rng.digits(11)}`;
    const scans: Record<string, unknown>[] = [];
    const events: CarrierEvent[] = [];
    let at = wholeSecond(start);
    for (const [code, description, derived] of rng.pick(JOURNEYS)) {
      at = new Date(at.getTime() + rng.int(10, 600) * 60_000);
      const [city, state, zip, offset] = rng.pick(PLACES);
      // Newest first, as the Track API lists them; the receiver orders by instant anyway.
      scans.unshift({
        date: localIso(at, offset),
        eventType: code,
        eventDescription: description,
        derivedStatusCode: derived,
        scanLocation: { city, stateOrProvinceCode: state, postalCode: zip, countryCode: "US" },
      });
      events.push({
        carrier: "fedex",
        label: code,
        payload: envelope(trackingNumber, [...scans]),
        occurredAt: at,
        trackingNumber,
      });
    }
    return events;
  },

  sign(body, settings) {
    return {
      method: "POST",
      path: PATH,
      headers: { "content-type": "application/json", "fdx-signature": hmac(body, settings[SETTING] ?? "") },
      body,
    };
  },

  bad(rng, _run, settings) {
    const token = settings[SETTING] ?? "";
    const trackingNumber = `7${rng.digits(11)}`;
    const body = JSON.stringify(
      envelope(trackingNumber, [{ date: localIso(new Date(), -300), eventType: "DL", eventDescription: "Delivered" }]),
    );
    const post = (label: string, headers: Record<string, string>, b: string, expectStatus: number) => ({
      label,
      method: "POST",
      path: PATH,
      headers: { "content-type": "application/json", ...headers },
      body: b,
      expectStatus,
    });
    const signed = (b: string) => ({ "fdx-signature": hmac(b, token) });
    const noNumber = JSON.stringify({ output: { completeTrackResults: [{ trackResults: [{}] }] } });
    return [
      post("missing fdx-signature", {}, body, 401),
      post("signature with another token", { "fdx-signature": hmac(body, `${token}x`) }, body, 401),
      post("signature in hex", { "fdx-signature": hmac(body, token, "hex") }, body, 401),
      // The prose's reading, SHA256(token + payload): not what FedEx computes (carriers-next.md 4.2).
      post(
        "SHA-256 of token + body",
        {
          "fdx-signature": createHash("sha256")
            .update(token + body)
            .digest("base64"),
        },
        body,
        401,
      ),
      post("malformed JSON", signed('{"output": '), '{"output": ', 400),
      post("no tracking number", signed(noNumber), noNumber, 422),
    ];
  },
};
