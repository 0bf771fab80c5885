import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { aftershipOccurredAt } from "../../src/carriers/aftership/aftership-occurred-at";
import { aftershipPayloadSchema } from "../../src/carriers/aftership/aftership-payload-schema";
import { newestCheckpoint } from "../../src/carriers/aftership/newest-checkpoint";
import { aftershipEventKey, normalizeAftership } from "../../src/carriers/aftership/normalize-aftership";
import { AFTERSHIP_FIXTURES } from "./aftership-fixtures";

const parse = (input: unknown) => v.parse(aftershipPayloadSchema, input);
const issues = (input: unknown) => v.safeParse(aftershipPayloadSchema, input).issues?.map((i) => v.getDotPath(i)) ?? [];

/** The smallest valid body, in the 6.1 vector's shape. */
const event = (msg: Record<string, unknown> = {}, rest: Record<string, unknown> = {}) => ({
  event: "tracking_update",
  event_id: "94dadd60-ed26-46d0-aa52-3ced925a50ff",
  is_tracking_first_tag: true,
  msg: {
    id: "00000000000000000000000000000000",
    tracking_number: "0000000000000000",
    slug: "usps",
    tag: "Delivered",
    ...msg,
  },
  ts: 1712741696,
  ...rest,
});
const TS_ISO = "2024-04-10T09:34:56.000Z";

describe("every fixture", () => {
  it.each(Object.entries(AFTERSHIP_FIXTURES))("%s normalizes to its `normalized`", (_, fx) => {
    expect(normalizeAftership(parse(JSON.parse(fx.request.body)))).toEqual(fx.normalized);
  });

  it("fixtures are different events (one database holds them all)", () => {
    const keys = Object.values(AFTERSHIP_FIXTURES).map((fx) => aftershipEventKey(parse(JSON.parse(fx.request.body))));
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe("occurred_at (section 8 Times)", () => {
  it("is the newest checkpoint's time when it carries an offset or Z, as UTC with milliseconds", () => {
    expect(aftershipOccurredAt("2026-11-24T14:37:00+01:00", 1)).toBe("2026-11-24T13:37:00.000Z");
    expect(aftershipOccurredAt("2026-11-24T14:37:00-0500", 1)).toBe("2026-11-24T19:37:00.000Z");
    expect(aftershipOccurredAt("2025-03-06T11:45:00Z", 1)).toBe("2025-03-06T11:45:00.000Z");
  });

  it("is ts (Unix seconds) when the checkpoint time is local, date-only, garbage or missing", () => {
    for (const time of [
      "2021-01-14T00:52:00",
      "2021-01-14",
      "yesterday",
      "2021-02-30T10:00:00Z",
      "",
      null,
      undefined,
    ]) {
      expect(aftershipOccurredAt(time, 1712741696)).toBe(TS_ISO);
    }
  });

  it("an older checkpoint's offset does not stand in for the newest one's missing offset", () => {
    const p = parse(
      event({
        checkpoints: [
          { checkpoint_time: "2024-04-08T10:00:00+02:00", tag: "InTransit" },
          { checkpoint_time: "2024-04-09T16:30:00", tag: "Delivered" },
        ],
      }),
    );
    expect(normalizeAftership(p).occurred_at).toBe(TS_ISO);
  });

  it("the newest checkpoint is found whatever the list's order; the later one wins a tie", () => {
    const a = { checkpoint_time: "2024-04-09T16:30:00+02:00", message: "a" };
    const b = { checkpoint_time: "2024-04-08T10:00:00+02:00", message: "b" };
    const c = { checkpoint_time: "2024-04-09T16:30:00Z", message: "c" };
    expect(newestCheckpoint([a, b])?.message).toBe("a");
    expect(newestCheckpoint([b, a])?.message).toBe("a");
    expect(newestCheckpoint([a, b, c])?.message).toBe("c");
    expect(newestCheckpoint([{ message: "no time" }, b])?.message).toBe("b");
    expect(newestCheckpoint([])).toBeNull();
    expect(newestCheckpoint(null)).toBeNull();
  });
});

describe("identity", () => {
  it("is event_id alone: the same webhook retried is one event, another event_id another", () => {
    expect(aftershipEventKey(parse(event()))).toBe("94dadd60-ed26-46d0-aa52-3ced925a50ff");
    expect(aftershipEventKey(parse(event({ tag: "InTransit" }, { ts: 1712741999 })))).toBe(
      "94dadd60-ed26-46d0-aa52-3ced925a50ff",
    );
    expect(aftershipEventKey(parse(event({}, { event_id: "3f645f5e-530b-4062-8695-db6a64420af8" })))).not.toBe(
      "94dadd60-ed26-46d0-aa52-3ced925a50ff",
    );
  });
});

describe("normalizeAftership", () => {
  it("tracking_update is shipment.status_changed; edd_revise, tracking_pending_time and new events are unknown", () => {
    expect(normalizeAftership(parse(event())).type).toBe("shipment.status_changed");
    for (const name of ["edd_revise", "tracking_pending_time", "tracking_teleported"]) {
      const n = normalizeAftership(parse(event({ tag: "InTransit" }, { event: name })));
      expect(n.type).toBe("unknown");
      expect(n.data.event).toBe(name);
      // Still the shipment's status as AfterShip reports it, per section 8.
      expect(n.status).toBe("in_transit");
    }
  });

  it("keeps the tracked carrier's slug and the subtag in data, the tag in carrier_status", () => {
    const n = normalizeAftership(parse(event({ slug: "dpd-poland", tag: "Exception", subtag: "Exception_004" })));
    expect(n.data.slug).toBe("dpd-poland");
    expect(n.data.subtag).toBe("Exception_004");
    expect(n.carrier_status).toBe("Exception");
    expect(n.status).toBe("delivery_delayed");
  });

  it("reason is the subtag message for AttemptFail and Exception only", () => {
    const failed = { tag: "Exception", subtag: "Exception_003", subtag_message: "Customer refused delivery" };
    expect(normalizeAftership(parse(event(failed))).reason).toBe("Customer refused delivery");
    expect(normalizeAftership(parse(event({ tag: "AttemptFail", subtag_message: "Business Closed" }))).reason).toBe(
      "Business Closed",
    );
    expect(normalizeAftership(parse(event({ tag: "Delivered", subtag_message: "Delivered" }))).reason).toBeNull();
  });

  it("an empty tracking number, id or tag is null", () => {
    const n = normalizeAftership(parse(event({ id: "", tracking_number: "", tag: "" })));
    expect([n.tracking_number, n.carrier_reference, n.status, n.carrier_status]).toEqual([null, null, null, null]);
  });

  it("reads the fields that moved between versions under both names", () => {
    const legacy = normalizeAftership(
      parse(
        event({
          destination_country_iso3: "POL",
          expected_delivery: "2021-05-17",
          checkpoints: [{ checkpoint_time: "2021-05-13T13:04:00", zip: "33487", country_iso3: "USA", coordinates: [] }],
        }),
      ),
    );
    const dated = normalizeAftership(
      parse(
        event({
          destination_country_region: "POL",
          latest_estimated_delivery: {
            type: "range",
            source: "Carrier EDD",
            datetime_min: "2026-01-02",
            datetime_max: "2026-01-04",
          },
          checkpoints: [
            { checkpoint_time: "2021-05-13T13:04:00", postal_code: "33487", country_region: "USA", coordinate: null },
          ],
        }),
      ),
    );
    for (const n of [legacy, dated]) {
      expect(n.data.destination_country).toBe("POL");
      expect(n.data.checkpoint).toMatchObject({ postal_code: "33487", country: "USA" });
    }
    expect(legacy.data.estimated_delivery).toEqual({
      datetime: "2021-05-17",
      datetime_min: null,
      datetime_max: null,
      source: null,
      revise_reason: null,
    });
    expect(dated.data.estimated_delivery).toEqual({
      datetime: null,
      datetime_min: "2026-01-02",
      datetime_max: "2026-01-04",
      source: "Carrier EDD",
      revise_reason: null,
    });
  });

  it("a copied field of an unexpected type is null in data, not a refusal", () => {
    const n = normalizeAftership(
      parse(event({ courier_tracking_link: 42, latest_estimated_delivery: "soon", checkpoints: [{ zip: 33487 }] })),
    );
    expect(n.data.tracking_url).toBeNull();
    expect(n.data.estimated_delivery).toBeNull();
    expect(n.data.checkpoint).toMatchObject({ postal_code: null });
  });
});

describe("aftershipPayloadSchema", () => {
  it("accepts unknown keys anywhere", () => {
    expect(issues(event({ brand_new: { x: 1 }, checkpoints: [{ events: [{ code: "x" }] }] }, { extra: true }))).toEqual(
      [],
    );
  });

  it("requires what identity and time rest on: event, event_id, ts in Unix seconds, msg", () => {
    expect(issues(event({}, { event_id: "" }))).toEqual(["event_id"]);
    expect(issues(event({}, { event: undefined }))).toEqual(["event"]);
    expect(issues(event({}, { ts: "1712741696" }))).toEqual(["ts"]);
    expect(issues(event({}, { ts: 1712741696000 }))).toEqual(["ts"]);
    expect(issues(event({}, { ts: 1712741696.5 }))).toEqual(["ts"]);
    expect(issues(event({}, { msg: null }))).toEqual(["msg"]);
  });

  it("refuses a checkpoint list that is not a list of objects, or a non-string tag", () => {
    expect(issues(event({ checkpoints: "none" }))).toEqual(["msg.checkpoints"]);
    expect(issues(event({ checkpoints: [1] }))).toEqual(["msg.checkpoints.0"]);
    expect(issues(event({ tag: 3 }))).toEqual(["msg.tag"]);
  });
});
