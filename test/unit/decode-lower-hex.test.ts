import { describe, expect, it } from "vitest";
import { decodeLowerHex } from "../../src/security/verify-hmac-sha256-hex";

const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");

describe("decodeLowerHex (every hex signature header: Sendcloud, Shippo's v1, 17TRACK's sign)", () => {
  it("decodes every byte value exactly, in place", () => {
    for (let start = 0; start < 256; start += 32) {
      const bytes = Uint8Array.from({ length: 32 }, (_, i) => start + i);
      expect(decodeLowerHex(hex(bytes))).toEqual(bytes);
    }
    const vector = "1eed4b3d41f4653ac64fd56f1bf1cbfd349e4482cbc11dff7134bd93e5da4b0a";
    expect(hex(decodeLowerHex(vector) as Uint8Array)).toBe(vector);
  });

  it("refuses any other spelling, length or character, wherever it is", () => {
    const good = "ab".repeat(32);
    for (const value of [
      null,
      undefined,
      "",
      good.slice(0, 62),
      `${good}ab`,
      good.toUpperCase(),
      ` ${good.slice(1)}`,
    ]) {
      expect(decodeLowerHex(value)).toBeNull();
    }
    // Every neighbour of the accepted ranges, and characters beyond ASCII, in the high and the low nibble.
    for (const bad of ["/", ":", "`", "g", "G", "A", "F", "é", "\u0130", "\uff10", "\0"]) {
      for (const at of [0, 1, 31, 62, 63]) {
        expect(decodeLowerHex(good.slice(0, at) + bad + good.slice(at + 1))).toBeNull();
      }
    }
  });
});
