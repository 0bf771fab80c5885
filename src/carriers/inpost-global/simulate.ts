// Node only (npm run simulate, load, faults): never imported by index.ts, so none of it reaches the
// Worker's bundle. InPost signs with RSA or HMAC; the simulator holds no InPost private key, so it
// signs with INPOST_GLOBAL_HMAC_SECRET, over the body or over timestamp + "." + body.
import { createHmac } from "node:crypto";
import { type Rng, uuid } from "../../../scripts/simulate/rng";
import type { CarrierEvent, CarrierSim, SignedRequest } from "../../../scripts/simulate/types";

const PATH = "/webhooks/inpost-global";
const SETTING = "INPOST_GLOBAL_HMAC_SECRET";

// eventCode sequences along real journeys (carriers-more.md 3.4).
const JOURNEYS: readonly (readonly string[])[] = [
  [
    "CRE.1001",
    "FMD.1001",
    "FMD.1002",
    "MMD.1001",
    "MMD.1002",
    "MMD.1003",
    "MMD.1004",
    "LMD.1001",
    "LMD.1002",
    "EOL.1001",
  ],
  ["CRE.1001", "FMD.1005", "MMD.1001", "MMD.1003", "LMD.1001", "LMD.1005", "LMD.9001", "EOL.1002"],
  ["CRE.1001", "FMD.1002", "MMD.1001", "LMD.1001", "LMD.9008", "RTS.1001", "RTS.1002"],
  ["CRE.1001", "FMD.1004", "MMD.1002", "LMD.1005", "LMD.9001", "LMD.9002", "LMD.9014", "RTS.1001"],
  ["CRE.1001", "FMD.1002", "MMD.1001", "INF.9001", "LMD.1001", "INF.1001", "EOL.1001"],
  ["CRE.1001", "FMD.1002", "CC.001", "CC.002", "MMD.1003", "LMD.1001", "EOL.1003"],
  ["CRE.1001", "FMD.1002", "MMD.1001", "LMD.3013", "LMD.1004", "EOL.1002"],
  ["CRE.1001", "EOL.9004"],
];

const CITIES = [
  ["Kraków", "30-727", "PL"],
  ["Warszawa", "00-001", "PL"],
  ["London", "EC1A 1BB", "GB"],
  ["Milano", "20121", "IT"],
] as const;

function place(rng: Rng, type: string) {
  const [city, postalCode, country] = rng.pick(CITIES);
  const id = `${country}_${rng.hex(6).toUpperCase()}`;
  return { id, address: `ul. Testowa ${rng.int(1, 99)}`, city, country, name: id, postalCode, type, description: null };
}

function locationFor(rng: Rng, code: string) {
  if (code.startsWith("CRE.") || code.startsWith("INF.")) return null;
  if (code === "FMD.1005" || code === "LMD.1005" || code === "LMD.9001" || code === "LMD.9002") {
    return place(rng, "LOCKER_POINT");
  }
  if (code === "LMD.1004" || code === "EOL.1002") return place(rng, "PUDO_POINT");
  if (code.startsWith("EOL.") || code === "LMD.9008") return place(rng, "ADDRESS");
  return place(rng, "LOGISTIC_CENTER");
}

/** InPost's timestamps carry 3, 6 or 9 fraction digits; the receiver keeps the milliseconds. */
function inpostTimestamp(rng: Rng, at: Date): string {
  const extra = rng.pick(["", rng.digits(3), rng.digits(6)]);
  return at.toISOString().replace("Z", `${extra}Z`);
}

function signature(key: string, body: string, timestamp: string | null): string {
  return createHmac("sha256", key)
    .update(timestamp === null ? body : `${timestamp}.${body}`, "utf8")
    .digest("base64");
}

function request(body: string, headers: Record<string, string>): SignedRequest {
  return { method: "POST", path: PATH, headers: { "content-type": "application/json", ...headers }, body };
}

/** InPost's headers (carriers-more.md 3.3), signed with `key` over the body or over timestamp + body. */
function signedHeaders(body: string, key: string, timestamped: boolean): Record<string, string> {
  const timestamp = new Date().toISOString();
  let eventId = "";
  try {
    eventId = String((JSON.parse(body) as { eventId?: unknown }).eventId ?? "");
  } catch {
    // A malformed body (a refusal case) has no event id.
  }
  return {
    "x-inpost-api-version": "2024-06-01",
    "x-inpost-topic": "Shipment.Tracking",
    "x-inpost-event-id": eventId,
    "x-inpost-timestamp": timestamp,
    "x-inpost-signature": signature(key, body, timestamped ? timestamp : null),
  };
}

export const simulate: CarrierSim = {
  story(rng, _run, _n, start) {
    const tracking = `1200000${rng.digits(17)}`;
    const reference = rng.chance(0.8) ? `Order-${rng.digits(7)}` : null;
    const shipmentType = rng.chance(0.9) ? "OUTBOUND" : "RETURN";
    const parcel = uuid(rng);
    let at = start;
    const events: CarrierEvent[] = [];
    for (const code of rng.pick(JOURNEYS)) {
      const delivered = code.startsWith("EOL.1");
      const payload: Record<string, unknown> = {
        customerReference: reference,
        trackingNumber: tracking,
        eventId: `${parcel}#${code}`,
        eventCode: code,
        timestamp: inpostTimestamp(rng, at),
        location: locationFor(rng, code),
        delivery: {
          recipientName: delivered ? rng.pick(["Jan Kowalski", "Anna Nowak", "John Doe"]) : null,
          deliveryNotes: code === "EOL.1003" ? "Left at the back door" : delivered ? "Delivered in hand" : null,
        },
        shipment: { type: code === "CRE.1001" ? null : shipmentType },
      };
      if (code === "RTS.1001" || code === "RTS.1002")
        payload.returnToSender = { trackingNumber: `1200000${rng.digits(17)}` };
      if (code === "LMD.3013") payload.newDestination = place(rng, "PUDO_POINT");
      events.push({ carrier: "inpost-global", label: code, payload, occurredAt: at, trackingNumber: tracking });
      at = new Date(at.getTime() + rng.int(60_000, 14_400_000));
    }
    return events;
  },

  sign(body, settings, rng) {
    const key = settings[SETTING];
    return request(body, key ? signedHeaders(body, key, rng.chance(0.5)) : {});
  },

  bad(rng, _run, settings) {
    const key = settings[SETTING];
    // Without an HMAC key nothing can be signed: the refusals below need one.
    if (!key) return [];
    const good = {
      customerReference: null,
      trackingNumber: `1200000${rng.digits(17)}`,
      eventId: `${uuid(rng)}#EOL.1001`,
      eventCode: "EOL.1001",
      timestamp: new Date().toISOString(),
      location: null,
    };
    const body = JSON.stringify(good);
    const signed = (b: string) => signedHeaders(b, key, false);
    const bad = (label: string, b: string, headers: Record<string, string>, expectStatus: number) => ({
      label,
      ...request(b, headers),
      expectStatus,
    });
    const timestamped = signedHeaders(body, key, true);
    return [
      bad("signed with another key", body, signedHeaders(body, `${key}x`, false), 401),
      bad("no signature", body, { "x-inpost-event-id": good.eventId }, 401),
      bad(
        "hex signature",
        body,
        {
          ...signed(body),
          "x-inpost-signature": Buffer.from(signature(key, body, null), "base64").toString("hex"),
        },
        401,
      ),
      bad("body re-serialized after signing", JSON.stringify(good, null, 2), signed(body), 401),
      bad(
        "timestamp changed after signing",
        body,
        { ...timestamped, "x-inpost-timestamp": new Date(Date.now() + 1000).toISOString() },
        401,
      ),
      bad(
        "RSA-sized signature nobody made",
        body,
        { ...signed(body), "x-inpost-signature": Buffer.from(rng.hex(1024), "hex").toString("base64") },
        401,
      ),
      bad("no trackingNumber", JSON.stringify({ ...good, trackingNumber: undefined }), {}, 422),
      bad("timestamp without a zone", JSON.stringify({ ...good, timestamp: "2024-11-25T16:51:40.111968200" }), {}, 422),
      bad("malformed JSON", '{"eventId": ', {}, 400),
    ].map((r) =>
      // The 4xx-after-authentication cases must carry a valid signature of their own bytes.
      r.expectStatus === 401 ? r : { ...r, headers: { ...r.headers, ...signed(r.body) } },
    );
  },
};
