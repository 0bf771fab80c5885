import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { normalizePostmen, postmenEventKey } from "../../src/carriers/postmen/normalize-postmen";
import { type PostmenPayload, postmenPayloadSchema } from "../../src/carriers/postmen/postmen-payload-schema";
import { postmenStatus } from "../../src/carriers/postmen/postmen-status";
import { postmenCalculateRates, postmenCancelLabel, postmenCreateLabel, underEventType } from "../fixtures/postmen";

const parse = (input: unknown): PostmenPayload => v.parse(postmenPayloadSchema, input);

describe("postmenStatus", () => {
  const label: [string, string | null][] = [
    ["creating", "pending"],
    ["created", "pending"],
    ["manifesting", "pending"],
    ["manifested", "pending"],
    ["cancelling", "pending"],
    ["cancelled", "cancelled"],
    ["voided", "unknown"],
  ];
  it.each(label)("create_a_label %s -> %s", (status, expected) => {
    expect(postmenStatus("create_a_label", status, true)).toBe(expected);
  });

  it.each([
    ["cancelled", "cancelled"],
    ["cancelling", null],
    ["reverted", "unknown"],
  ])("cancel_a_label %s -> %s", (status, expected) => {
    expect(postmenStatus("cancel_a_label", status, true)).toBe(expected);
  });

  it("a label job that did not succeed implies no status", () => {
    expect(postmenStatus("create_a_label", "failed", false)).toBeNull();
    expect(postmenStatus("create_a_label", "created", false)).toBeNull();
    expect(postmenStatus("cancel_a_label", "failed", false)).toBeNull();
  });

  it.each(["calculate_rates", "manifest_a_label", "create_a_bulk_download", "create_a_pickup"])(
    "%s (a job or unknown event) implies no status",
    (event) => {
      expect(postmenStatus(event, "created", true)).toBeNull();
    },
  );
});

describe("normalizePostmen", () => {
  it("is not a success when meta.code is 200 but data.status is failed", () => {
    const p = parse({
      ...postmenCancelLabel,
      meta: { code: 200, message: "Label cannot be cancelled." },
      data: { ...postmenCancelLabel.data, status: "failed" },
    });
    expect(normalizePostmen(p)).toMatchObject({
      status: null,
      reason: "Label cannot be cancelled.",
      data: { succeeded: false },
    });
  });

  it("tolerates the nulls and missing fields of Postmen's examples", () => {
    const p = parse({
      event: "create_a_label",
      date_time: "2016-09-26T07:15:30Z",
      meta: { code: 200 },
      data: { id: "l1", status: null, files: null },
    });
    expect(normalizePostmen(p)).toMatchObject({
      type: "label.created",
      status: "unknown",
      carrier_status: null,
      tracking_number: null,
      reason: null,
      data: { meta: { code: 200, message: null, retryable: null, details: [] }, label_url: null, tracking_numbers: [] },
    });
  });
});

describe("postmenEventKey", () => {
  const key = (input: unknown) => postmenEventKey(parse(input));

  it("is the same for a retry under either key name, and for the same instant in another notation", () => {
    const base = key(postmenCreateLabel);
    expect(key(underEventType(postmenCreateLabel, ""))).toBe(base);
    expect(key({ ...postmenCreateLabel, date_time: "2016-09-26T07:15:30Z" })).toBe(base);
  });

  it("differs when the job, its status, its outcome or the time differs", () => {
    const base = key(postmenCalculateRates);
    const variants = [
      { ...postmenCalculateRates, data: { ...postmenCalculateRates.data, id: "other-job" } },
      { ...postmenCalculateRates, data: { ...postmenCalculateRates.data, status: "failed" } },
      { ...postmenCalculateRates, meta: { ...postmenCalculateRates.meta, code: 200 } },
      { ...postmenCalculateRates, date_time: "2016-09-26T07:15:31+00:00" },
      { ...postmenCalculateRates, event: "create_a_label" },
    ];
    for (const variant of variants) expect(key(variant)).not.toBe(base);
  });
});

describe("postmenPayloadSchema", () => {
  const issues = (input: unknown) => v.safeParse(postmenPayloadSchema, input).issues?.map((i) => v.getDotPath(i)) ?? [];

  it("refuses a string meta.code, a date without a zone, an empty data.id and a non-string tracking number", () => {
    expect(issues({ ...postmenCreateLabel, meta: { code: "200" } })).toEqual(["meta.code"]);
    expect(issues({ ...postmenCreateLabel, date_time: "2016-09-26T07:15:30" })).toEqual(["date_time"]);
    expect(issues({ ...postmenCreateLabel, data: { ...postmenCreateLabel.data, id: "" } })).toEqual(["data.id"]);
    expect(issues({ ...postmenCreateLabel, data: { ...postmenCreateLabel.data, tracking_numbers: [123] } })).toEqual([
      "data.tracking_numbers.0",
    ]);
  });

  it("accepts `event` and `event_type` together when they agree", () => {
    expect(issues({ ...postmenCreateLabel, event_type: "create_a_label" })).toEqual([]);
  });
});
