import { readConfig } from "../config";
import {
  type CanonicalStatus,
  type CarrierName,
  DELIVERY_STATES,
  type DeliveryState,
} from "../events/normalized-event";
import { countSince } from "./db/count-events";
import type { Stats } from "./response-schemas";

const DAY_MS = 24 * 60 * 60 * 1000;

/** Counts since a time (default: the last 24 hours), shipments by status, and storage, for /api/stats and the dashboard. */
export async function operatorStats(env: Env, since?: string, now = new Date()): Promise<Stats> {
  const from = since ?? new Date(now.getTime() - DAY_MS).toISOString();
  const counted = await countSince(env.DB, from);
  const by = (key: "carrier" | "type" | "status") => {
    const out: Record<string, number> = {};
    for (const row of counted.events) {
      const name = row[key] ?? "none";
      out[name] = (out[name] ?? 0) + row.n;
    }
    return out;
  };
  const byState = Object.fromEntries(DELIVERY_STATES.map((s) => [s, 0])) as Record<DeliveryState, number>;
  for (const row of counted.events)
    byState[row.state as DeliveryState] = (byState[row.state as DeliveryState] ?? 0) + row.n;
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
      by_state: byState,
    },
    events_per_hour: counted.hours.map((h) => ({ hour: h.hour, carrier: h.carrier, count: h.n })),
    rejections: {
      total: counted.rejections.reduce((sum, row) => sum + row.n, 0),
      by_reason: [...reasons.values()].sort((a, b) => b.count - a.count),
      per_hour: [...rejectedPerHour].map(([hour, count]) => ({ hour, count })),
    },
    shipments: {
      total: counted.shipments.reduce((sum, row) => sum + row.n, 0),
      by_carrier_status: counted.shipments.map((r) => ({
        carrier: r.carrier as CarrierName,
        status: r.status as CanonicalStatus,
        count: r.n,
      })),
    },
    storage: {
      bytes: counted.sizeBytes,
      budget_bytes: readConfig(env).storageBudgetBytes,
      oldest_event_at: counted.oldestEventAt,
    },
  };
}
