import { describe, expect, it } from "vitest";
import { toUtcIso } from "../../src/time/to-utc-iso";

describe("toUtcIso", () => {
  it.each([
    // InPost's strftime form, from its docs.
    ["2020-03-20 15:08:06 +0100", "2020-03-20T14:08:06.000Z"],
    ["2020-03-20 00:30:00 +0200", "2020-03-19T22:30:00.000Z"],
    ["2020-03-20 23:30:00 -0530", "2020-03-21T05:00:00.000Z"],
    // SwiftPOD: microseconds, truncated to milliseconds.
    ["2022-07-08T13:24:00.128774Z", "2022-07-08T13:24:00.128Z"],
    // Postmen: offset with a colon.
    ["2016-09-26T07:15:30+00:00", "2016-09-26T07:15:30.000Z"],
    ["2016-09-26T09:15:30+02:00", "2016-09-26T07:15:30.000Z"],
    // Peddler: milliseconds and Z.
    ["2024-09-02T13:08:06.574Z", "2024-09-02T13:08:06.574Z"],
    ["2024-02-29T12:00:00Z", "2024-02-29T12:00:00.000Z"],
  ])("%s -> %s", (input, expected) => {
    expect(toUtcIso(input)).toBe(expected);
  });

  it.each([
    "2020-03-20 15:08:06", // no zone: refusing beats guessing hours wrong
    "2020-03-20T15:08:06",
    "2023-02-29T12:00:00Z",
    "2020-13-01T00:00:00Z",
    "2020-03-20T24:00:00Z",
    "2020-03-20T15:08:06+25:00",
    "yesterday",
    "",
    "1584713286",
  ])("refuses %j", (input) => {
    expect(toUtcIso(input)).toBeNull();
  });
});
