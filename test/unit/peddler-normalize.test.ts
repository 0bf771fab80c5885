import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { normalizePeddler, peddlerEventKey } from "../../src/carriers/peddler/normalize-peddler";
import { peddlerPayloadSchema } from "../../src/carriers/peddler/peddler-payload-schema";
import { peddlerStatus } from "../../src/carriers/peddler/peddler-status";
import { PEDDLER_CODE_TABLE, PEDDLER_FAILED_STATUSES, peddlerEvent, peddlerFailedAttempt } from "../fixtures/peddler";

const parse = (input: unknown) => v.parse(peddlerPayloadSchema, input);

describe("peddlerStatus", () => {
  it.each(PEDDLER_CODE_TABLE)("$code $status -> $canonical", ({ code, status, canonical }) => {
    expect(peddlerStatus(code, status)).toBe(canonical);
  });

  it.each(Object.keys(PEDDLER_FAILED_STATUSES).map(Number))("%i FAILED_ATTEMPT -> delivery_failed", (code) => {
    expect(peddlerStatus(code, "FAILED_ATTEMPT")).toBe("delivery_failed");
  });

  it("the code decides over the name; an unlisted code falls back to the name; neither known -> unknown", () => {
    expect(peddlerStatus(500, "SOMETHING_ELSE")).toBe("delivered");
    expect(peddlerStatus(620, "FAILED_ATTEMPT")).toBe("delivery_failed");
    expect(peddlerStatus(503, "DELIVERED")).toBe("delivered");
    expect(peddlerStatus(1200, "SHIPMENT_TELEPORTED")).toBe("unknown");
  });
});

describe("normalizePeddler", () => {
  it("keeps the English texts, the code and the tracking URL in data", () => {
    expect(normalizePeddler(parse(peddlerFailedAttempt)).data).toEqual({
      code: 601,
      location: null,
      tracking_url: "https://t.pdlr.nl/P199684830307745678/",
      meta_data: "78420240902-2",
      headline: "Delivery attempt failed",
      description: "Delivery attempt failed at destination",
      courier_name: "Peddler",
      details_reason: "Customer not answering; no neighbours available",
    });
  });

  it("a missing carrierTrackingNumber becomes null, not an error", () => {
    const { carrierTrackingNumber: _, ...rest } = peddlerEvent("no-tn", 100, "SHIPMENT_CONFIRMED");
    expect(normalizePeddler(parse(rest)).tracking_number).toBeNull();
  });
});

describe("peddlerEventKey", () => {
  it("names one shipment's status at one time: another code or time is another event", () => {
    const base = peddlerEventKey(parse(peddlerEvent("s1", 410, "OUT_FOR_DELIVERY")));
    expect(peddlerEventKey(parse(peddlerEvent("s1", 410, "OUT_FOR_DELIVERY")))).toBe(base);
    expect(peddlerEventKey(parse(peddlerEvent("s1", 500, "DELIVERED")))).not.toBe(base);
    expect(peddlerEventKey(parse(peddlerEvent("s2", 410, "OUT_FOR_DELIVERY")))).not.toBe(base);
    expect(
      peddlerEventKey(parse(peddlerEvent("s1", 410, "OUT_FOR_DELIVERY", { ts: "2024-09-02T13:08:07.574Z" }))),
    ).not.toBe(base);
  });
});

describe("peddlerPayloadSchema", () => {
  const paths = (input: unknown) => v.safeParse(peddlerPayloadSchema, input).issues?.map((i) => v.getDotPath(i)) ?? [];

  it("refuses a string or fractional code (the docs insist on an integer)", () => {
    expect(paths(peddlerEvent("s", "410" as unknown as number, "OUT_FOR_DELIVERY"))).toEqual(["code"]);
    expect(paths(peddlerEvent("s", 410.5, "OUT_FOR_DELIVERY"))).toEqual(["code"]);
  });

  it("refuses a missing id, an empty status and a time without a zone", () => {
    expect(paths({ ...peddlerEvent("s", 410, ""), id: undefined, ts: "2024-09-02T13:08:06" }).sort()).toEqual([
      "id",
      "status",
      "ts",
    ]);
  });
});
