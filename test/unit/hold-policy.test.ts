import { describe, expect, it } from "vitest";
import {
  destinationSignal,
  HOLD_AFTER_FAILURES,
  healthOf,
  nextStreaks,
  REFUSING_AFTER,
  retryAfterSeconds,
  type Streaks,
} from "../../src/delivery/hold-policy";

const ok = { ok: true, sent: true, httpStatus: 204 };
const fail = (httpStatus: number | null) => ({ ok: false, sent: true, httpStatus });
const notSent = { ok: false, sent: false, httpStatus: null };
const none: Streaks = { failures: 0, refusals: 0, refusedSeq: null };

describe("destinationSignal", () => {
  it("counts no answer, 5xx, 408 and 429 as an outage's", () => {
    for (const s of [null, 500, 502, 503, 504, 408, 429]) expect(destinationSignal(fail(s))).toBe("down");
  });

  it("counts 401, 403, 404, 410 and a 3xx as the destination refusing us (a key, a path, a moved URL), not the event", () => {
    for (const s of [401, 403, 404, 410, 301, 302, 307, 308]) expect(destinationSignal(fail(s))).toBe("refused");
  });

  it("takes other answers as a refusal of the one event, and only a 2xx as proof the destination is up", () => {
    for (const s of [400, 409, 413, 422]) expect(destinationSignal(fail(s))).toBe("event");
    expect(destinationSignal(ok)).toBe("ok");
  });

  it("learns nothing from a forward that was never sent (no signing secret)", () => {
    expect(destinationSignal(notSent)).toBe("none");
  });
});

describe("nextStreaks and healthOf", () => {
  it("is down after the threshold of failures in a row, and only a 2xx ends it (a 4xx during an outage does not)", () => {
    let s = none;
    for (let i = 0; i < HOLD_AFTER_FAILURES; i++) s = nextStreaks(s, "down", i);
    expect(healthOf(s)).toBe("down");
    s = nextStreaks(s, "refused", 99);
    s = nextStreaks(s, "event", 100);
    expect(healthOf(s)).toBe("down");
    expect(healthOf(nextStreaks(s, "ok", 101))).toBe("up");
  });

  it("is refusing after refusals of different events only: one event refused again and again is not", () => {
    let s = none;
    for (let i = 0; i < 20; i++) s = nextStreaks(s, "refused", 7);
    expect(healthOf(s)).toBe("up");
    for (let i = 0; i < REFUSING_AFTER; i++) s = nextStreaks(s, "refused", 100 + i);
    expect(healthOf(s)).toBe("refusing");
  });
});

describe("retryAfterSeconds", () => {
  const now = new Date("2026-11-30T10:00:00.000Z");
  it("reads seconds or an HTTP date on 429 and 503 only, capped at an hour", () => {
    expect(retryAfterSeconds(429, "120", now)).toBe(120);
    expect(retryAfterSeconds(503, "Mon, 30 Nov 2026 10:05:00 GMT", now)).toBe(300);
    expect(retryAfterSeconds(503, "99999", now)).toBe(3600);
    expect(retryAfterSeconds(500, "120", now)).toBeNull();
    expect(retryAfterSeconds(429, null, now)).toBeNull();
    expect(retryAfterSeconds(429, "soon", now)).toBeNull();
  });
});
