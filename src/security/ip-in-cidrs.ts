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
 * address (`::ffff:91.216.25.7`) counts as its IPv4 address. The grammar is exactly that of hono's
 * `hono/utils/ipaddr` (which `hono/ip-restriction` uses), checked against it in
 * test/unit/parse-ip-address.test.ts, in a tenth of its bundle size.
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

// Dotted quad without leading zeros, as hono's IPV4_REGEX.
const IPV4 = /^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const HEX_GROUP = /^[\dA-Fa-f]{1,4}$/;

const ipv4Value = (text: string) => text.split(".").reduce((n, octet) => (n << 8n) + BigInt(octet), 0n);

/**
 * An IPv6 address's 16-bit groups, or null: hex groups of 1-4 digits, at most one `::` standing for
 * at least one zero group, a dotted quad allowed as the last two groups, and a zone (`%eth0`) only
 * on a link-local address (fe80::/10).
 */
function ipv6Value(text: string): bigint | null {
  const zone = text.indexOf("%");
  if (zone === text.length - 1) return null;
  const halves = (zone < 0 ? text : text.slice(0, zone)).split("::");
  if (halves.length > 2) return null;
  const groups: bigint[][] = [];
  for (const [h, half] of halves.entries()) {
    const parts = half === "" && halves.length === 2 ? [] : half.split(":");
    // Hono's parser takes `fe80::a:%eth0` (one colon left before the zone) as `fe80::a%eth0`.
    if (
      zone >= 0 &&
      h === halves.length - 1 &&
      parts.length > 1 &&
      parts.at(-1) === "" &&
      HEX_GROUP.test(parts.at(-2) ?? "")
    )
      parts.pop();
    const values: bigint[] = [];
    for (const [i, part] of parts.entries()) {
      if (HEX_GROUP.test(part)) values.push(BigInt(`0x${part}`));
      else if (h === halves.length - 1 && i === parts.length - 1 && IPV4.test(part)) {
        const v4 = ipv4Value(part);
        values.push(v4 >> 16n, v4 & 0xffffn);
      } else return null;
    }
    groups.push(values);
  }
  const count = groups.reduce((n, g) => n + g.length, 0);
  if (halves.length === 2 ? count >= 8 : count !== 8) return null;
  const all = [...(groups[0] ?? []), ...Array<bigint>(8 - count).fill(0n), ...(groups[1] ?? [])];
  const value = all.reduce((n, g) => (n << 16n) + g, 0n);
  return zone >= 0 && value >> 118n !== 0x3fan ? null : value;
}

export function parseAddress(text: string | null | undefined): Address | null {
  if (!text) return null;
  if (IPV4.test(text)) return { v4: true, value: ipv4Value(text), mapped: false };
  if (!text.includes(":")) return null;
  const value = ipv6Value(text);
  if (value === null) return null;
  if (value >> 32n === 0xffffn) return { v4: true, value: value & 0xffffffffn, mapped: true };
  return { v4: false, value, mapped: false };
}
