import { countSince } from "./db/count-events";

const DAY_MS = 24 * 60 * 60 * 1000;

/** Counts since a time (default: the last 24 hours), for the API's /stats and the dashboard's charts. */
export async function stats(db: D1Database, since?: string, now = new Date()) {
  const from = since ?? new Date(now.getTime() - DAY_MS).toISOString();
  const counted = await countSince(db, from);
  const by = (key: "carrier" | "type" | "status" | "state") => {
    const out: Record<string, number> = {};
    for (const row of counted.events) {
      const name = row[key] ?? "none";
      out[name] = (out[name] ?? 0) + row.n;
    }
    return out;
  };
  const reasons = new Map<string, { status: number; code: string; carrier: string; count: number }>();
  const rejectedPerHour = new Map<string, number>();
  for (const r of counted.rejections) {
    const k = `${r.status}|${r.code}|${r.carrier}`;
    const entry = reasons.get(k) ?? { status: r.status, code: r.code, carrier: r.carrier, count: 0 };
    entry.count += r.n;
    reasons.set(k, entry);
    rejectedPerHour.set(r.hour, (rejectedPerHour.get(r.hour) ?? 0) + r.n);
  }
  return {
    since: from,
    events: {
      total: counted.events.reduce((sum, row) => sum + row.n, 0),
      by_carrier: by("carrier"),
      by_type: by("type"),
      // Events without a shipment status (stock, rates, ...) count under "none".
      by_status: by("status"),
      by_state: by("state"),
    },
    events_per_hour: counted.hours.map((h) => ({ hour: h.hour, carrier: h.carrier, count: h.n })),
    rejections: {
      total: counted.rejections.reduce((sum, row) => sum + row.n, 0),
      by_reason: [...reasons.values()].sort((a, b) => b.count - a.count),
      per_hour: [...rejectedPerHour].map(([hour, count]) => ({ hour, count })),
    },
  };
}
