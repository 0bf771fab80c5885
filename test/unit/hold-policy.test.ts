import { describe, expect, it } from "vitest";
import { downstreamReport, downstreamSignal, HOLD_AFTER_FAILURES, isDownAfter } from "../../src/delivery/hold-policy";

const ok = { ok: true, sent: true, httpStatus: 204 };
const fail = (httpStatus: number | null) => ({ ok: false, sent: true, httpStatus });
const notSent = { ok: false, sent: false, httpStatus: null };

describe("downstreamSignal", () => {
  it("counts no answer, 5xx, 408 and 429 as an outage's", () => {
    for (const s of [null, 500, 502, 503, 504, 408, 429]) expect(downstreamSignal(fail(s))).toBe("down");
  });

  it("takes a 2xx or a refusal of the one event as proof the downstream is up", () => {
    for (const r of [ok, fail(400), fail(401), fail(404), fail(422), fail(301)]) {
      expect(downstreamSignal(r)).toBe("answered");
    }
  });

  it("learns nothing from a forward that was never sent (no signing secret)", () => {
    expect(downstreamSignal(notSent)).toBe("none");
  });
});

describe("downstreamReport and isDownAfter", () => {
  it("adds a batch's failures to the streak read before it", () => {
    const report = downstreamReport([fail(503), fail(null)]);
    expect(report).toEqual({ reset: false, failures: 2 });
    expect(isDownAfter(HOLD_AFTER_FAILURES - 2, report)).toBe(true);
    expect(isDownAfter(HOLD_AFTER_FAILURES - 3, report)).toBe(false);
  });

  it("restarts the streak at the last answer, in the order the forwards finished", () => {
    const report = downstreamReport([fail(503), fail(503), ok, fail(503), fail(422), fail(500)]);
    expect(report).toEqual({ reset: true, failures: 1 });
    expect(isDownAfter(100, report)).toBe(false);
  });

  it("a whole batch failing past the threshold is down at once", () => {
    expect(isDownAfter(0, downstreamReport(Array.from({ length: HOLD_AFTER_FAILURES }, () => fail(null))))).toBe(true);
  });
});
