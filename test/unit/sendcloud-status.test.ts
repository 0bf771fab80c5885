import { describe, expect, it } from "vitest";
import { sendcloudStatus } from "../../src/carriers/sendcloud/sendcloud-status";

// carriers-more.md section 8, "Sendcloud (`parcel.status.id`)", row by row.
const TABLE: Array<[string, number[]]> = [
  ["pending", [1, 13, 999, 1000, 1001]],
  ["picked_up", [22]],
  ["in_transit", [3, 5, 6, 7, 91]],
  ["out_for_delivery", [92]],
  ["ready_for_pickup", [12]],
  ["delivered", [11, 93]],
  ["delivery_failed", [8, 15, 80]],
  ["delivery_delayed", [4]],
  ["on_hold", [1002, 1999, 2001]],
  ["cancelled", [1998, 2000]],
  ["unknown", [1337]],
];

describe("sendcloudStatus", () => {
  it.each(TABLE.flatMap(([canonical, ids]) => ids.map((id) => ({ id, canonical }))))(
    "$id -> $canonical",
    ({ id, canonical }) => {
      expect(sendcloudStatus(id)).toBe(canonical);
    },
  );

  it("every id of the status list (2.5) is in the table: 25 ids", () => {
    expect(TABLE.flatMap(([, ids]) => ids)).toHaveLength(25);
  });

  it("an id not listed is unknown, including 0 (the v2 parcels example's 'Ready to send') and 62990", () => {
    for (const id of [0, 2, 9, 62990, -1]) expect(sendcloudStatus(id), String(id)).toBe("unknown");
  });
});
