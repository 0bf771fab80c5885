// InPost: `2020-03-20 15:08:06 +0100` (strftime `%Y-%m-%d %H:%M:%S %z`), not ISO 8601.
const SPACED = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))? ?(Z|[+-]\d{2}:?\d{2})$/;
// ISO 8601 with any number of fraction digits (SwiftPOD sends microseconds) and a zone.
const ISO = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?(Z|[+-]\d{2}:?\d{2})$/i;

/**
 * A carrier's timestamp as UTC ISO 8601 with milliseconds, or null when it is not a real
 * instant. A time without a zone is refused: guessing one would shift events by hours.
 */
export function toUtcIso(value: string): string | null {
  const m = ISO.exec(value) ?? SPACED.exec(value);
  if (!m) return null;
  const [, y, mo, d, h, mi, s, frac, zone] = m as unknown as string[];
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
  const local = Date.UTC(year, month - 1, day, hour, minute, second, Number(`0.${frac ?? "0"}`) * 1000);
  // Date.UTC rolls 31 February into March; a real date survives the round trip.
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCDate() !== day || check.getUTCMonth() !== month - 1) return null;
  const offsetMinutes = parseOffset(zone as string);
  if (offsetMinutes === null) return null;
  return new Date(Math.floor(local) - offsetMinutes * 60_000).toISOString();
}

function parseOffset(zone: string): number | null {
  if (zone === "Z" || zone === "z") return 0;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
  if (!m) return null;
  const hours = Number(m[2]);
  const minutes = Number(m[3]);
  if (hours > 14 || minutes > 59) return null;
  return (m[1] === "-" ? -1 : 1) * (hours * 60 + minutes);
}
