import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { filterSchema, matchesFilter } from "../../src/destinations";

const event = { carrier: "peddler", status: "delivery_failed", type: "shipment.status_changed" };

describe("matchesFilter", () => {
  it("null (no filter) matches every event", () => {
    expect(matchesFilter(event, null)).toBe(true);
    expect(matchesFilter({ carrier: "swiftpod", status: null, type: "stock.status_changed" }, null)).toBe(true);
  });

  it("an event matches when it is in every list given", () => {
    expect(matchesFilter(event, { carriers: ["inpost", "peddler"] })).toBe(true);
    expect(matchesFilter(event, { carriers: ["inpost"] })).toBe(false);
    expect(matchesFilter(event, { statuses: ["delivery_failed", "on_hold"] })).toBe(true);
    expect(matchesFilter(event, { statuses: ["delivered"] })).toBe(false);
    expect(matchesFilter(event, { types: ["shipment.status_changed"] })).toBe(true);
    expect(matchesFilter(event, { types: ["label.created"] })).toBe(false);
    const all = { carriers: ["peddler"], statuses: ["delivery_failed"], types: ["shipment.status_changed"] };
    expect(matchesFilter(event, all)).toBe(true);
    expect(matchesFilter(event, { ...all, carriers: ["postmen"] })).toBe(false);
    expect(matchesFilter(event, { ...all, statuses: ["delivered"] })).toBe(false);
    expect(matchesFilter(event, { ...all, types: ["unknown"] })).toBe(false);
  });

  it("an event without a shipment status is in no list of statuses", () => {
    const stock = { carrier: "swiftpod", status: null, type: "stock.status_changed" };
    expect(matchesFilter(stock, { statuses: ["unknown"] })).toBe(false);
    expect(matchesFilter(stock, { carriers: ["swiftpod"] })).toBe(true);
  });
});

describe("filterSchema", () => {
  const parse = (value: unknown) => v.safeParse(filterSchema, value);

  it("takes the registries' values, drops repeats, and reads {} as every event (null)", () => {
    expect(parse({}).output).toBeNull();
    expect(parse({ carriers: ["inpost", "inpost", "peddler"] }).output).toEqual({ carriers: ["inpost", "peddler"] });
    expect(parse({ statuses: ["on_hold"], types: ["unknown"] }).output).toEqual({
      statuses: ["on_hold"],
      types: ["unknown"],
    });
  });

  it.each([
    [{ carriers: ["dhl"] }],
    [{ statuses: ["lost"] }],
    [{ types: ["shipment.lost"] }],
    [{ carriers: [] }],
    [{ carriers: "inpost" }],
    [{ carrier: ["inpost"] }],
    [["inpost"]],
    ["inpost"],
  ])("refuses %j", (value) => {
    expect(parse(value).success).toBe(false);
  });
});
