import { describe, expect, it } from "vitest";
import { aftershipStatus } from "../../src/carriers/aftership/aftership-status";

// carriers-more.md section 8, "AfterShip (msg.tag, then msg.subtag where the tag alone is not enough)", row by row.
const BY_TAG: [string, string][] = [
  ["Pending", "pending"],
  ["InfoReceived", "pending"],
  ["InTransit", "in_transit"],
  ["OutForDelivery", "out_for_delivery"],
  ["AvailableForPickup", "ready_for_pickup"],
  ["Delivered", "delivered"],
  ["AttemptFail", "delivery_failed"],
  ["Expired", "unknown"],
];

const BY_EXCEPTION: [string, string[]][] = [
  ["delivery_failed", ["001", "002", "003", "007", "008", "009", "012", "013", "021"]],
  ["delivery_delayed", ["004", "005", "016", "017", "019"]],
  ["on_hold", ["006", "018"]],
  ["return_to_sender", ["010", "011"]],
  ["cancelled", ["020"]],
];

describe("aftershipStatus", () => {
  it.each(BY_TAG)("%s -> %s, whatever its subtag", (tag, canonical) => {
    expect(aftershipStatus(tag, null)).toBe(canonical);
    expect(aftershipStatus(tag, `${tag}_001`)).toBe(canonical);
    expect(aftershipStatus(tag, "Exception_020")).toBe(canonical);
  });

  it.each(BY_EXCEPTION.flatMap(([canonical, codes]) => codes.map((c) => [`Exception_${c}`, canonical])))(
    "Exception with %s -> %s",
    (subtag, canonical) => {
      expect(aftershipStatus("Exception", subtag)).toBe(canonical);
    },
  );

  it("any other Exception subtag, or none, is unknown", () => {
    for (const subtag of ["Exception_014", "Exception_015", "Exception_022", "InTransit_001", "", null, undefined]) {
      expect(aftershipStatus("Exception", subtag)).toBe("unknown");
    }
  });

  it("any other tag is unknown (tags are compared exactly)", () => {
    expect(aftershipStatus("Returned", null)).toBe("unknown");
    expect(aftershipStatus("delivered", "Delivered_001")).toBe("unknown");
    expect(aftershipStatus("toString", null)).toBe("unknown");
  });

  it("no tag at all states no status", () => {
    expect(aftershipStatus(null, "Delivered_001")).toBeNull();
    expect(aftershipStatus(undefined, undefined)).toBeNull();
    expect(aftershipStatus("", null)).toBeNull();
  });
});
