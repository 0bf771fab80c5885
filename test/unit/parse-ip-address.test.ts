import fc from "fast-check";
import {
  convertIPv4MappedIPv6ToIPv4,
  convertIPv4ToBinary,
  convertIPv6ToBinary,
  distinctRemoteAddr,
  isIPv4MappedIPv6,
} from "hono/utils/ipaddr";
import { describe, expect, it } from "vitest";
import { type Address, parseAddress } from "../../src/security/ip-in-cidrs";

/** The address reading ip-in-cidrs.ts had on hono's parsers, kept here as the reference. */
function honoAddress(text: string): Address | null {
  if (!text) return null;
  try {
    const family = distinctRemoteAddr(text);
    if (family === "IPv4") return { v4: true, value: convertIPv4ToBinary(text), mapped: false };
    if (family !== "IPv6") return null;
    const value = convertIPv6ToBinary(text);
    if (isIPv4MappedIPv6(value)) return { v4: true, value: convertIPv4MappedIPv6ToIPv4(value), mapped: true };
    return { v4: false, value, mapped: false };
  } catch {
    return null;
  }
}

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
  it.each([
    "::",
    "::1",
    "1::",
    "fe80::1%eth0",
    "fe80::1%",
    "fe80::%1",
    "2001:db8::1%eth0",
    "::ffff:1.2.3.4",
    "::ffff:1.2.3.4%x",
    "fe80::1.2.3.4%x",
    "1:2:3:4:5:6:1.2.3.4",
    "1:2:3:4:5:6:7:1.2.3.4",
    "1:2:3:4:5:6:7::",
    "1:2:3:4:5:6:7:8::",
    "1.2.3.4::",
    ":1::",
    ":::",
    ":",
    "%:",
    "1:2:3:4:5:6:7:8g",
    "12345::",
    "::0001.2.3.4",
    "::1.2.3.04",
    "1.2.3.4",
    "01.2.3.4",
    "255.255.255.255",
    "256.1.1.1",
  ])("reads %j as hono does", (text) => {
    expect(parseAddress(text)).toEqual(honoAddress(text));
  });

  it("reads any address-like text as hono's parsers do", () => {
    fc.assert(
      fc.property(addressLike, (text) => {
        expect(parseAddress(text)).toEqual(honoAddress(text));
      }),
      { numRuns: 20_000 },
    );
  });

  it("reads any text of address characters as hono's parsers do", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9a-fA-F:.%]{0,40}$/), (text) => {
        expect(parseAddress(text)).toEqual(honoAddress(text));
      }),
      { numRuns: 20_000 },
    );
  });
});
