import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Address, parseAddress } from "../../src/security/ip-in-cidrs";

const hexGroup = fc.stringMatching(/^[0-9a-fA-F]{0,5}$/);
const octet = fc.oneof(fc.integer({ min: 0, max: 300 }).map(String), fc.constantFrom("01", "00", "", "x"));
const quad = fc.array(octet, { minLength: 3, maxLength: 5 }).map((o) => o.join("."));
const zone = fc.constantFrom("", "", "%", "%eth0", "%%", "%1");
/** Address-like text: groups and separators as they come in real and broken addresses. */
const addressLike = fc
  .tuple(
    fc.constantFrom("", "fe80:", "FE80::", "::ffff:", "0:0:0:0:0:ffff:", "2001:db8:"),
    fc.array(fc.oneof(hexGroup, fc.constant("")), { maxLength: 9 }),
    fc.constantFrom(":", ":", "::", ":::", "."),
    fc.oneof(fc.constant(""), quad, hexGroup),
    zone,
  )
  .map(([head, groups, sep, tail, z]) => `${head}${groups.join(sep)}${groups.length ? sep : ""}${tail}${z}`);

describe("parseAddress", () => {
  // What InPost's range check reads each address as (family, mapped, value), pinned: a change of
  // hono's parsers or of the wrapper that moves one of these changes who may POST.
  it.each([
    ["::", "v6", 0x0n],
    ["::1", "v6", 0x1n],
    ["1::", "v6", 0x10000000000000000000000000000n],
    ["fe80::1%eth0", "v6", 0xfe800000000000000000000000000001n],
    ["fe80::1%", null, 0n],
    ["fe80::%1", "v6", 0xfe800000000000000000000000000000n],
    ["2001:db8::1%eth0", null, 0n],
    ["::ffff:1.2.3.4", "v4-mapped", 0x1020304n],
    ["::ffff:1.2.3.4%x", null, 0n],
    ["fe80::1.2.3.4%x", "v6", 0xfe800000000000000000000001020304n],
    ["1:2:3:4:5:6:1.2.3.4", "v6", 0x10002000300040005000601020304n],
    ["1:2:3:4:5:6:7:1.2.3.4", null, 0n],
    ["1:2:3:4:5:6:7::", "v6", 0x10002000300040005000600070000n],
    ["1:2:3:4:5:6:7:8::", null, 0n],
    ["1.2.3.4::", null, 0n],
    [":1::", null, 0n],
    [":::", null, 0n],
    [":", null, 0n],
    ["%:", null, 0n],
    ["1:2:3:4:5:6:7:8g", null, 0n],
    ["12345::", null, 0n],
    ["::0001.2.3.4", null, 0n],
    ["::1.2.3.04", null, 0n],
    ["1.2.3.4", "v4", 0x1020304n],
    ["01.2.3.4", null, 0n],
    ["255.255.255.255", "v4", 0xffffffffn],
    ["256.1.1.1", null, 0n],
  ] as const)("reads %j as %s %s", (text, family, value) => {
    const a = parseAddress(text);
    if (family === null) {
      expect(a).toBeNull();
      return;
    }
    expect(a).toEqual({ v4: family !== "v6", value, mapped: family === "v4-mapped" });
  });

  /** Anything read is an address of its family's width: never a throw, never a wider value. */
  const inRange = (text: string) => {
    const a: Address | null = parseAddress(text);
    if (a === null) return;
    expect(a.value >= 0n && a.value < (a.v4 ? 1n << 32n : 1n << 128n)).toBe(true);
  };

  it("reads any address-like text without throwing, within its family's width", () => {
    fc.assert(fc.property(addressLike, inRange), { numRuns: 20_000 });
  });

  it("reads any text of address characters without throwing, within its family's width", () => {
    fc.assert(fc.property(fc.stringMatching(/^[0-9a-fA-F:.%]{0,40}$/), inRange), { numRuns: 20_000 });
  });
});
