import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { inpostGlobalPayloadSchema } from "../../src/carriers/inpost-global/inpost-global-payload-schema";
import { inpostGlobalStatus } from "../../src/carriers/inpost-global/inpost-global-status";
import { inpostGlobalEventKey, normalizeInpostGlobal } from "../../src/carriers/inpost-global/normalize-inpost-global";
import allFields from "../fixtures/carriers/inpost-global/all-fields.json";
import cre1001 from "../fixtures/carriers/inpost-global/cre-1001.json";
import mmd1001 from "../fixtures/carriers/inpost-global/mmd-1001.json";

const FIXTURES = { "mmd-1001": mmd1001, "cre-1001": cre1001, "all-fields": allFields };
const parse = (input: unknown) => v.parse(inpostGlobalPayloadSchema, input);
const sample = JSON.parse(mmd1001.request.body) as Record<string, unknown>;
const event = (changes: Record<string, unknown>) => parse({ ...sample, ...changes });

/** `PFX.a-b` as every code in it, written out here independently of the table under test. */
const range = (phase: string, from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => `${phase}.${from + i}`);

// carriers-more.md section 8, "InPost Global (eventCode)", every row; a wildcard by examples.
const SECTION_8: [string | null, string[]][] = [
  ["pending", ["CRE.1001", "CRE.1002", "CRE.9999", "FMD.1001", "FUL.1001", "FUL.1002", "FUL.1003"]],
  ["picked_up", ["FMD.1002", "FMD.1004", "FMD.1005"]],
  [
    "in_transit",
    ["FMD.1003", "HAN.1001", "MMD.1001", "MMD.1005", "MMD.1009", "MMD.3001", "MMD.9001", "CC.002", "LMD.1001"],
  ],
  ["in_transit", ["LMD.1002", ...range("LMD", 3001, 3017)]],
  ["on_hold", ["CC.001", "CC.003"]],
  ["ready_for_pickup", [...range("LMD", 1003, 1006), "LMD.9001", "LMD.9012", "LMD.9013"]],
  ["delivered", range("EOL", 1001, 1008)],
  ["delivery_failed", [...range("LMD", 9002, 9011), ...range("LMD", 9015, 9030), ...range("EOL", 9001, 9003)]],
  ["delivery_failed", ["EOL.9006"]],
  ["delivery_delayed", range("INF", 9001, 9017)],
  ["return_to_sender", ["LMD.9014", "RTS.1001", "RTS.1002"]],
  ["cancelled", ["EOL.9004", "EOL.9005"]],
  [null, ["INF.1001"]],
  // Any other: the catalogue's codes the table leaves out, the edges of each range, and noise.
  [
    "unknown",
    ["FMD.1006", "FMD.1017", "FMD.9001", "FMD.9002", "LMD.1007", "LMD.9031", "EOL.1009", "EOL.9007", "INF.9018"],
  ],
  ["unknown", ["INF.9002x", "INF.900", "INF.09001", "EOL.1000", "LMD.1000", "CC.004", "cre.1001", "ABC987", "", "RTS"]],
];

describe("inpostGlobalStatus: carriers-more.md section 8", () => {
  it.each(SECTION_8.flatMap(([status, codes]) => codes.map((code) => [code, status])))("%s -> %s", (code, status) => {
    expect(inpostGlobalStatus(code as string)).toBe(status);
  });
});

describe("normalizeInpostGlobal", () => {
  it("INF.1001 (COD payment received) carries no status, so the shipment keeps its own", () => {
    const e = normalizeInpostGlobal(event({ eventCode: "INF.1001", eventId: "x#INF.1001" }));
    expect(e.status).toBeNull();
    expect(e.type).toBe("shipment.status_changed");
    expect(e.carrier_status).toBe("INF.1001");
  });

  it("keeps the milliseconds of a timestamp with up to nine fraction digits, truncated, never rounded up", () => {
    for (const [timestamp, expected] of [
      ["2024-11-25T16:51:40.111968200Z", "2024-11-25T16:51:40.111Z"],
      ["2025-01-08T14:02:55.374675Z", "2025-01-08T14:02:55.374Z"],
      ["2024-04-26T14:00:03.165Z", "2024-04-26T14:00:03.165Z"],
      ["2024-12-31T23:59:59.999999999Z", "2024-12-31T23:59:59.999Z"],
      ["2024-04-26T14:00:03Z", "2024-04-26T14:00:03.000Z"],
      ["2024-04-26T16:00:03.5+02:00", "2024-04-26T14:00:03.500Z"],
    ]) {
      expect(normalizeInpostGlobal(event({ timestamp })).occurred_at).toBe(expected);
    }
  });

  it("refuses a timestamp without a zone (the transcription's 'local timezone'): it cannot be placed", () => {
    const result = v.safeParse(inpostGlobalPayloadSchema, { ...sample, timestamp: "2024-11-25T16:51:40.111968200" });
    expect(result.issues?.map((i) => v.getDotPath(i))).toEqual(["timestamp"]);
  });

  it("puts location, delivery, shipment type, the return parcel and the new destination in data", () => {
    const location = { id: "PL_ASDF", type: "PUDO_POINT", country: "PL", extra: 1 };
    const newDestination = { id: "PL_XYZ", type: "LOCKER_POINT" };
    const e = normalizeInpostGlobal(
      event({
        location,
        delivery: { recipientName: "Jan", deliveryNotes: "in hand" },
        shipment: { type: "RETURN" },
        returnToSender: { trackingNumber: "R1" },
        newDestination,
      }),
    );
    expect(e.data).toEqual({
      location,
      recipient_name: "Jan",
      delivery_notes: "in hand",
      shipment_type: "RETURN",
      return_tracking_number: "R1",
      new_destination: newDestination,
    });
  });

  it("takes missing or null optional objects as null, and a null customerReference as no reference", () => {
    const {
      location: _l,
      delivery: _d,
      shipment: _s,
      ...bare
    } = sample as { location: unknown; delivery: unknown; shipment: unknown };
    const e = normalizeInpostGlobal(parse({ ...bare, customerReference: null, returnToSender: null }));
    expect(e.carrier_reference).toBeNull();
    expect(Object.values(e.data)).toEqual([null, null, null, null, null, null]);
  });
});

describe("identity", () => {
  it("is eventId, as sent: another code of one parcel is another event", () => {
    expect(inpostGlobalEventKey(parse(sample))).toBe("76b2262a-4274-40a1-8aac-89b048974d75#MMD.1001");
    expect(inpostGlobalEventKey(event({ eventId: "76b2262a-4274-40a1-8aac-89b048974d75#MMD.1002" }))).not.toBe(
      inpostGlobalEventKey(parse(sample)),
    );
  });
});

describe("inpostGlobalPayloadSchema", () => {
  const paths = (input: unknown) =>
    v.safeParse(inpostGlobalPayloadSchema, input).issues?.map((i) => v.getDotPath(i)) ?? [];

  it("requires the identity, the code, the tracking number and the time; nothing else", () => {
    expect(paths({})).toEqual(["trackingNumber", "eventId", "eventCode", "timestamp"]);
    expect(paths({ ...sample, trackingNumber: "", eventId: null })).toEqual(["trackingNumber", "eventId"]);
    expect(paths({ ...sample, delivery: "John" })).toEqual(["delivery"]);
  });

  it("never refuses keys it does not know, at any level", () => {
    expect(paths({ ...sample, parcelSize: "A", location: { ...(sample.location as object), lat: 50.1 } })).toEqual([]);
  });
});

describe("fixtures", () => {
  it.each(Object.entries(FIXTURES))("%s: the body, validated and normalized, is its `normalized`", (_, fixture) => {
    expect(normalizeInpostGlobal(parse(JSON.parse(fixture.request.body)))).toEqual(fixture.normalized);
  });

  it("are different events (they share one test database)", () => {
    const keys = Object.values(FIXTURES).map((f) => inpostGlobalEventKey(parse(JSON.parse(f.request.body))));
    expect(new Set(keys).size).toBe(keys.length);
  });
});
