import { afterEach, describe, expect, it, vi } from "vitest";
import { ipInCidrs, parseCidr, parseCidrList } from "../../src/security/ip-in-cidrs";

describe("ipInCidrs", () => {
  const list = "91.216.25.0/24, 2001:db8:1234::/48, 10.0.0.1";

  it.each([
    ["91.216.25.0", true],
    ["91.216.25.255", true],
    ["91.216.24.255", false],
    ["91.216.26.0", false],
    ["::ffff:91.216.25.7", true],
    ["::FFFF:91.216.25.7", true],
    ["::ffff:5bd8:1907", true],
    ["0:0:0:0:0:ffff:91.216.25.7", true],
    ["::ffff:91.216.26.7", false],
    ["2001:db8:1234::", true],
    ["2001:0db8:1234:ffff:ffff:ffff:ffff:ffff", true],
    ["2001:db8:1235::", false],
    ["10.0.0.1", true],
    ["10.0.0.2", false],
    // An IPv4 address and its IPv4-compatible (not mapped) IPv6 form are different addresses.
    ["::91.216.25.7", false],
  ])("%s -> %s", (ip, expected) => {
    expect(ipInCidrs(ip, list)).toBe(expected);
  });

  it.each([
    null,
    undefined,
    "",
    " ",
    "not-an-ip",
    "91.216.25",
    "91.216.25.07",
    "91.216.25.256",
    "91.216.25.7:443",
    "[::1]",
    "1::2::3",
    "91.216.25.7, 8.8.8.8",
  ])("refuses %j", (ip) => {
    expect(ipInCidrs(ip, list)).toBe(false);
  });

  it("matches an IPv4-mapped range written as IPv6 as the IPv4 range", () => {
    expect(ipInCidrs("91.216.25.9", "::ffff:91.216.25.0/120")).toBe(true);
    expect(ipInCidrs("91.216.26.9", "::ffff:91.216.25.0/120")).toBe(false);
  });

  it("clears host bits in a range (91.216.25.7/24 is 91.216.25.0/24)", () => {
    expect(ipInCidrs("91.216.25.200", "91.216.25.7/24")).toBe(true);
  });

  it("never lets an IPv4 range match an IPv6 address or the reverse", () => {
    expect(ipInCidrs("::1", "0.0.0.0/0")).toBe(false);
    expect(ipInCidrs("8.8.8.8", "::/0")).toBe(false);
  });
});

describe("parseCidr", () => {
  it.each([
    "garbage",
    "0.0.0.0/33",
    "::/129",
    "1.2.3.4/-1",
    "1.2.3.4/",
    "/24",
    "1.2.3.4/24/8",
    "1.2.3.4/2x",
    "::ffff:1.2.3.4/95",
  ])("refuses %j", (entry) => {
    expect(parseCidr(entry)).toBeNull();
  });

  it("reads a bare address as a single host", () => {
    expect(parseCidr("91.216.25.7")).toEqual({ v4: true, network: 0x5bd81907n, mask: 0xffffffffn });
  });
});

describe("parseCidrList", () => {
  afterEach(() => vi.restoreAllMocks());

  it("drops malformed entries and logs their count once, without the values", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const config = "secret-looking-garbage, 91.216.25.0/24, 300.1.1.1/8";
    expect(parseCidrList(config)).toHaveLength(1);
    expect(parseCidrList(config)).toHaveLength(1);
    expect(ipInCidrs("91.216.25.1", config)).toBe(true);
    expect(warn).toHaveBeenCalledTimes(1);
    const line = String(warn.mock.calls[0]?.[0]);
    expect(JSON.parse(line)).toEqual({ msg: "invalid_cidr_ignored", ignored: 2 });
    expect(line).not.toContain("garbage");
  });

  it("an all-malformed list allows nothing", () => {
    vi.spyOn(console, "warn").mockImplementation(() => {});
    expect(ipInCidrs("91.216.25.1", "*, any, 0.0.0.0/99")).toBe(false);
  });
});
