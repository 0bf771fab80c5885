import { describe, expect, it } from "vitest";
import { MAX_RETRY_DELAY_SECONDS, retryDelay } from "../../src/consumer/retry-delay";

const middle = () => 0.5;

describe("retryDelay", () => {
  it("starts at the base and doubles per attempt", () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => retryDelay(n, 30, middle))).toEqual([30, 60, 120, 240, 480, 960, 1920]);
  });

  it("is capped at an hour, jitter included", () => {
    expect(retryDelay(8, 30, middle)).toBe(MAX_RETRY_DELAY_SECONDS);
    expect(retryDelay(10, 30, () => 0.999)).toBe(MAX_RETRY_DELAY_SECONDS);
    expect(retryDelay(40, 30, () => 0.999)).toBe(MAX_RETRY_DELAY_SECONDS);
  });

  it("spreads each delay by ±20 %", () => {
    expect(retryDelay(1, 30, () => 0)).toBe(24);
    expect(retryDelay(1, 30, () => 0.999)).toBe(36);
    expect(retryDelay(3, 30, () => 0)).toBe(96);
  });

  it("never asks for less than a second, even with a tiny base", () => {
    expect(retryDelay(1, 1, () => 0)).toBe(1);
    expect(retryDelay(3, 1, middle)).toBe(4);
  });
});
