import {
  convertIPv4MappedIPv6ToIPv4,
  convertIPv4ToBinary,
  convertIPv6ToBinary,
  distinctRemoteAddr,
  isIPv4MappedIPv6,
} from "hono/utils/ipaddr";

/** One parsed range: the address family, the network with host bits cleared, and the mask. */
export interface Cidr {
  v4: boolean;
  network: bigint;
  mask: bigint;
}

// Parsed lists per configuration string: vars are fixed per deployment, so this parses once per isolate.
const cache = new Map<string, Cidr[]>();

/**
 * Whether `ip` (a client address as `CF-Connecting-IP` gives it) lies in one of the comma-separated
 * CIDRs of `config`. A missing or garbage address is outside every range; an IPv4-mapped IPv6
 * address (`::ffff:91.216.25.7`) counts as its IPv4 address. Hono's address parsers
 * (`hono/utils/ipaddr`, the ones `hono/ip-restriction` uses) read the addresses. The ranges are not
 * handed to `ipRestriction` itself: it takes `*` as "allow everyone" and throws on a malformed rule,
 * where a bad INPOST_ALLOWED_CIDRS entry must allow nothing and leave the other entries working.
 */
export function ipInCidrs(ip: string | null | undefined, config: string): boolean {
  const client = parseAddress(ip);
  if (!client) return false;
  for (const cidr of parseCidrList(config)) {
    if (cidr.v4 === client.v4 && (client.value & cidr.mask) === cidr.network) return true;
  }
  return false;
}

/**
 * The valid ranges of a comma-separated list. A malformed entry is dropped, never widened into
 * "allow everything", and reported once per configuration (the count only: config values stay out
 * of logs).
 */
export function parseCidrList(config: string): Cidr[] {
  const cached = cache.get(config);
  if (cached) return cached;
  const entries = config
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  const cidrs: Cidr[] = [];
  for (const entry of entries) {
    const cidr = parseCidr(entry);
    if (cidr) cidrs.push(cidr);
  }
  if (cidrs.length < entries.length) {
    console.warn(JSON.stringify({ msg: "invalid_cidr_ignored", ignored: entries.length - cidrs.length }));
  }
  cache.set(config, cidrs);
  return cidrs;
}

/** `a.b.c.d/n` or `x:y::z/n`; a bare address is a single host. */
export function parseCidr(entry: string): Cidr | null {
  const slash = entry.indexOf("/");
  const addrText = slash === -1 ? entry : entry.slice(0, slash);
  const address = parseAddress(addrText);
  if (!address) return null;
  const bits = address.v4 ? 32 : 128;
  let prefix = bits;
  if (slash !== -1) {
    const prefixText = entry.slice(slash + 1);
    if (!/^\d{1,3}$/.test(prefixText)) return null;
    prefix = Number(prefixText);
    // An IPv4-mapped range written as IPv6 (::ffff:91.216.25.0/120) is that IPv4 range.
    if (address.mapped) prefix -= 96;
    if (prefix < 0 || prefix > bits) return null;
  }
  const all = (1n << BigInt(bits)) - 1n;
  const mask = (all << BigInt(bits - prefix)) & all;
  return { v4: address.v4, network: address.value & mask, mask };
}

export interface Address {
  v4: boolean;
  value: bigint;
  /** Written as IPv4-mapped IPv6 but held as IPv4. */
  mapped: boolean;
}

export function parseAddress(text: string | null | undefined): Address | null {
  if (!text) return null;
  try {
    const family = distinctRemoteAddr(text);
    if (family === "IPv4") return { v4: true, value: convertIPv4ToBinary(text), mapped: false };
    if (family !== "IPv6") return null;
    const value = convertIPv6ToBinary(text);
    if (isIPv4MappedIPv6(value)) return { v4: true, value: convertIPv4MappedIPv6ToIPv4(value), mapped: true };
    return { v4: false, value, mapped: false };
  } catch {
    // Hono's parsers throw on anything that is not an address.
    return null;
  }
}
